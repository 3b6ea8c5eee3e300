package io.actorvmm.domain.placement;

/** Prefer the host that is least used after placing, so load spreads evenly over the hosts. */
public final class SpreadScorer implements HostScorer {

  /** The scorer's name. */
  @Override
  public String name() {
    return "spread";
  }

  /** 100 minus the percent of cpu and memory used after placing (the pack score turned around). */
  @Override
  public double score(PlacementRequest r, HostCandidate h) {
    return 100 - PackScorer.usedAfter(h, r.spec().cpuCores(), r.spec().memoryMiB());
  }

  /** The same score without allocating. */
  @Override
  public double score(PlacementContext c, HostCandidate h) {
    return 100 - PackScorer.usedAfter(h, c.cpu(), c.memory());
  }

  /** The score over host columns. */
  static final ColumnScorer COLUMN = (c, cols, idx, n, weight, total) -> PackScorer.add(c, cols, idx, n, weight, total, true);
}
