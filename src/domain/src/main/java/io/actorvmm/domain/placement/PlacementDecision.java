package io.actorvmm.domain.placement;

import java.util.List;

/**
 * Where a VM goes (null when nothing fits), a one-line summary, and every host's verdict: the chosen
 * host first, then the other passed hosts best first, then the rejected hosts by id.
 *
 * <p>The engine hands over its verdicts in a compact form that builds the {@link HostVerdict}
 * objects (reasons and per-scorer scores) only when first read, so a decision over thousands of hosts
 * costs little unless it is explained.
 */
public record PlacementDecision(String vmId, String chosenHost, String summary, List<HostVerdict> verdicts) {

  /** Copies the verdicts so the record stays immutable (the engine's compact verdicts already are). */
  public PlacementDecision {
    verdicts = verdicts == null ? List.of() : verdicts instanceof CompactVerdicts ? verdicts : List.copyOf(verdicts);
  }

  /**
   * This decision keeping only its first {@code max} verdicts (the chosen host and the best runners-up
   * come first); the summary still counts every host. On a large cluster this is what is worth keeping
   * with a VM: only the kept verdicts are ever built.
   */
  public PlacementDecision withVerdictLimit(int max) {
    if (max >= verdicts.size()) return this;
    return new PlacementDecision(vmId, chosenHost, summary, List.copyOf(verdicts.subList(0, Math.max(0, max))));
  }

  /** True when a host was chosen. */
  public boolean placed() {
    return chosenHost != null;
  }
}
