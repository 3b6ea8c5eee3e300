package io.actorvmm.domain.service;

import java.time.Instant;

/** The mean activity of an application's running replicas at one moment. */
public record ActivitySample(Instant at, double activity) {}
