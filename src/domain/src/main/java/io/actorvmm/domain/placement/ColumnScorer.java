package io.actorvmm.domain.placement;

/** A built-in scorer's score over {@link HostColumns}, the same as its {@link HostScorer} gives. */
interface ColumnScorer {

  /** Adds {@code weight} × the score of each host {@code idx[0..n)} to {@code total[idx[k]]}. */
  void add(PlacementContext c, HostColumns cols, int[] idx, int n, double weight, double[] total);
}
