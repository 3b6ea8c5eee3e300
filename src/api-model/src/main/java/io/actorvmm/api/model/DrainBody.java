package io.actorvmm.api.model;

/**
 * The body of POST /api/hosts/{id}/drain: {@code to} moves every VM onto that host, {@code live} moves
 * them live, {@code dryRun} only answers the plan. All optional.
 */
public record DrainBody(String to, Boolean live, Boolean dryRun) {}
