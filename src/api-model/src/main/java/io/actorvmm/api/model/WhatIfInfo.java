package io.actorvmm.api.model;

import java.util.List;

/**
 * What a scenario would do to the live inventory, which it leaves unchanged: the scenario in words,
 * a one-line summary, the VMs that would move (from null: a new replica) and in which wave, the VMs
 * that would be left without a host and why, and the services whose availability would change.
 */
public record WhatIfInfo(String scenario, String summary, List<Move> moves, List<Unplaced> unplaced,
                         List<ServiceImpact> services) {

  /** Copies the lists so the record stays immutable. */
  public WhatIfInfo {
    moves = moves == null ? List.of() : List.copyOf(moves);
    unplaced = unplaced == null ? List.of() : List.copyOf(unplaced);
    services = services == null ? List.of() : List.copyOf(services);
  }

  /** A VM moved or started: from which host (null for a new replica) to which, in which wave. */
  public record Move(String vmId, String app, String service, String fromHost, String toHost, int wave) {}

  /** A VM left without a host (or left where it is), with the one-line reason. */
  public record Unplaced(String vmId, String app, String service, String fromHost, String reason) {}

  /** A service's availability before the change, at its worst moment, and after it. */
  public record ServiceImpact(String service, Health before, Health during, Health after) {}

  /** An availability (available, degraded, unavailable, stopped) with its reason. */
  public record Health(String availability, String reason) {}
}
