package io.actorvmm.domain.placement;

/** A scorer and how much its score counts in a host's total. */
public record WeightedScorer(HostScorer scorer, double weight) {}
