package io.actorvmm.api.model;

/** The body of POST /api/vms/{id}/move: the target host (null: the scheduler chooses), live or cold, and why. */
public record MoveBody(String to, Boolean live, String reason) {}
