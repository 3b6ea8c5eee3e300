package io.actorvmm.api.model;

import java.util.List;

/**
 * A rebalance: the load spread before and after (the difference between the busiest and the idlest
 * host's CPU use, in percent), the moves of this bounded step in order, and why it stops there.
 */
public record RebalanceInfo(double spreadBefore, double spreadAfter, List<Step> moves, String summary,
                            boolean dryRun) {
  /** One move of the step: the VM, from and to, and whether the move started (or why not). */
  public record Step(String vmId, String fromHost, String toHost, String outcome) {}
}
