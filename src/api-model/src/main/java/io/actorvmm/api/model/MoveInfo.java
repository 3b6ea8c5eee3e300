package io.actorvmm.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A VM's latest move as the API shows it: its number, status (active, completed, failed, aborted),
 * source and target, the steps done in order, the fallback reason, the outcome's reason, the downtime
 * of a live move (-1 unknown), who started it and when it started and ended, and the one-off cost of
 * transferring the VM's data (its disk GiB × the source's and the target's per-GiB-transferred rates;
 * null when not known, as for moves recorded before it was).
 */
public record MoveInfo(String vmId, long moveId, String status, String fromHost, String toHost, boolean live,
                       List<String> steps, String fallback, String reason, long downtimeMillis, String startedBy,
                       Instant startedAt, Instant endedAt, Double transferCost) {

  /** A move whose transfer cost is not known. */
  public MoveInfo(String vmId, long moveId, String status, String fromHost, String toHost, boolean live,
                  List<String> steps, String fallback, String reason, long downtimeMillis, String startedBy,
                  Instant startedAt, Instant endedAt) {
    this(vmId, moveId, status, fromHost, toHost, live, steps, fallback, reason, downtimeMillis, startedBy, startedAt,
        endedAt, null);
  }
}
