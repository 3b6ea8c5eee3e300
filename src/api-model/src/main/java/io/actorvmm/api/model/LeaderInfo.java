package io.actorvmm.api.model;

/** The current cluster leader's address, or null while there is none. */
public record LeaderInfo(String leader) {}
