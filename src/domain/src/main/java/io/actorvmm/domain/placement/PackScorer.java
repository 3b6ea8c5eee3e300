package io.actorvmm.domain.placement;

import io.actorvmm.domain.Resources;

/** Prefer the host that is most used after placing, so VMs pack onto as few hosts as possible. */
public final class PackScorer implements HostScorer {

  /** The scorer's name. */
  @Override
  public String name() {
    return "pack";
  }

  /** Percent of the host's capacity used after placing, averaged over cpu and memory (0..100). */
  @Override
  public double score(PlacementRequest r, HostCandidate h) {
    return usedAfter(h, r.spec().cpuCores(), r.spec().memoryMiB());
  }

  /** The same score without allocating. */
  @Override
  public double score(PlacementContext c, HostCandidate h) {
    return usedAfter(h, c.cpu(), c.memory());
  }

  /** Percent used after adding cpu and memory, averaged over both (0..100); shared with the spread scorer. */
  static double usedAfter(HostCandidate h, long cpu, long memory) {
    Resources capacity = h.spec().capacity() == null ? Resources.ZERO : h.spec().capacity();
    Resources used = h.used();
    // cpu and memory decide how many more VMs fit; storage and network rarely do
    return (percent(used.cpuCores() + cpu, capacity.cpuCores())
        + percent(used.memoryMiB() + memory, capacity.memoryMiB())) / 2;
  }

  private static double percent(long used, long capacity) {
    // a resource the host does not have counts as full: nothing more fits there
    if (capacity <= 0) return 100;
    return clamp(used * scale(capacity));
  }

  /** 100 / capacity: the host columns keep it per host, so the hot loop multiplies instead of dividing. */
  static double scale(long capacity) {
    return capacity <= 0 ? 0 : 100.0 / capacity;
  }

  private static double clamp(double percent) {
    return Math.max(0, Math.min(100, percent));
  }

  /** The score over host columns. */
  static final ColumnScorer COLUMN = (c, cols, idx, n, weight, total) -> add(c, cols, idx, n, weight, total, false);

  /** Adds weight × the pack score (or, for spread, 100 minus it) of each host to its total. */
  static void add(PlacementContext c, HostColumns cols, int[] idx, int n, double weight, double[] total, boolean spread) {
    long cpu = c.cpu();
    long memory = c.memory();
    int[] capCpu = cols.capCpu;
    int[] usedCpu = cols.usedCpu;
    long[] capMemory = cols.capMemory;
    long[] usedMemory = cols.usedMemory;
    double[] cpuScale = cols.cpuScale;
    double[] memoryScale = cols.memoryScale;
    for (int k = 0; k < n; k++) {
      int i = idx[k];
      double c1 = capCpu[i] <= 0 ? 100 : clamp((usedCpu[i] + cpu) * cpuScale[i]);
      double c2 = capMemory[i] <= 0 ? 100 : clamp((usedMemory[i] + memory) * memoryScale[i]);
      double used = (c1 + c2) / 2;
      total[i] += weight * (spread ? 100 - used : used);
    }
  }
}
