package io.actorvmm.domain.placement;

import java.util.List;

/** Where a VM goes (null when nothing fits), a one-line summary, and every host's verdict. */
public record PlacementDecision(String vmId, String chosenHost, String summary, List<HostVerdict> verdicts) {

  /** Copies the verdicts so the record stays immutable. */
  public PlacementDecision {
    verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
  }

  /** True when a host was chosen. */
  public boolean placed() {
    return chosenHost != null;
  }
}
