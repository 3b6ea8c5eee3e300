package io.actorvmm.domain.whatif;

import java.util.List;

/** What a scenario would do: the VMs moved and where, those left unplaced and why, the services whose availability changes, and a one-line summary. */
public record WhatIfResult(String scenario, List<Move> moves, List<Unplaced> unplaced, List<ServiceImpact> services,
                           String summary) {

  /** Copies the lists so the record stays immutable. */
  public WhatIfResult {
    moves = moves == null ? List.of() : List.copyOf(moves);
    unplaced = unplaced == null ? List.of() : List.copyOf(unplaced);
    services = services == null ? List.of() : List.copyOf(services);
  }
}
