package io.actorvmm.api.model;

import java.util.List;

/**
 * A rebalance: the load spread before and after (the difference between the busiest and the idlest
 * host's CPU use, in percent), the moves of this bounded step in order, and why it stops there.
 *
 * <p>{@code by} says what the step evens out: "load" (the spread) or "cost". A step by cost also
 * carries the horizon its moves must pay for their transfer within, the running cost per hour of every
 * VM on an Up host before and after the step, each move's costs, and the VMs it leaves where they are
 * although a cheaper host is up, with why ({@code notMovedTotal} counts them all; at most 20 are listed).
 * The cost fields are null for a step by load.
 */
public record RebalanceInfo(double spreadBefore, double spreadAfter, List<Step> moves, String summary,
                            boolean dryRun, String by, Double horizonHours, Double costBefore, Double costAfter,
                            List<NotMoved> notMoved, Integer notMovedTotal) {

  /** A step by load, as the API answered before steps by cost. */
  public RebalanceInfo(double spreadBefore, double spreadAfter, List<Step> moves, String summary, boolean dryRun) {
    this(spreadBefore, spreadAfter, moves, summary, dryRun, "load", null, null, null, null, null);
  }

  /** Fills the defaults of an answer from a node that predates steps by cost. */
  public RebalanceInfo {
    moves = moves == null ? List.of() : List.copyOf(moves);
    notMoved = notMoved == null ? List.of() : List.copyOf(notMoved);
    by = by == null ? "load" : by;
  }

  /**
   * One move of the step: the VM, from and to, and whether the move started (or why not). By cost:
   * its running cost per hour on the source and on the target, the one-off transfer cost of its data,
   * its net saving over the horizon, and all of that as one line ({@code detail}).
   */
  public record Step(String vmId, String fromHost, String toHost, String outcome, Double costBefore, Double costAfter,
                     Double transferCost, Double netSaving, String detail) {

    /** A move of a step by load. */
    public Step(String vmId, String fromHost, String toHost, String outcome) {
      this(vmId, fromHost, toHost, outcome, null, null, null, null, null);
    }
  }

  /** A VM a step by cost leaves on its host although {@code toHost} costs less, and why. */
  public record NotMoved(String vmId, String fromHost, String toHost, String reason) {}
}
