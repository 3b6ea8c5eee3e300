package io.actorvmm.domain.service;

/** A service's availability and the one-line reason for it. */
public record ServiceHealth(Availability availability, String reason) {}
