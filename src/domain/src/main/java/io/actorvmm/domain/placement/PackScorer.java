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
    Resources after = h.used().plus(r.spec().demand());
    Resources capacity = h.spec().capacity() == null ? Resources.ZERO : h.spec().capacity();
    // cpu and memory decide how many more VMs fit; storage and network rarely do
    return (percent(after.cpuCores(), capacity.cpuCores()) + percent(after.memoryMiB(), capacity.memoryMiB())) / 2;
  }

  private static double percent(long used, long capacity) {
    // a resource the host does not have counts as full: nothing more fits there
    if (capacity <= 0) return 100;
    return Math.max(0, Math.min(100, 100.0 * used / capacity));
  }
}
