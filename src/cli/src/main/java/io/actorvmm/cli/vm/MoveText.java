package io.actorvmm.cli.vm;

import io.actorvmm.api.model.MoveInfo;
import io.actorvmm.domain.placement.CostRebalance;

/** How a move reads as text. */
final class MoveText {
  private MoveText() {}

  /** "move 2 of vm web-1 completed: h1 -> h2, transfer cost 2.00 (vm runs on h2)". */
  static String line(MoveInfo m) {
    StringBuilder b = new StringBuilder("move ").append(m.moveId()).append(" of vm ").append(m.vmId()).append(' ')
        .append(m.status()).append(": ").append(m.fromHost()).append(" -> ").append(m.toHost());
    if (m.live()) b.append(" (live").append(m.downtimeMillis() >= 0 ? ", " + m.downtimeMillis() + " ms downtime" : "")
        .append(')');
    if (m.transferCost() != null) b.append(", transfer cost ").append(CostRebalance.amount(m.transferCost()));
    if (m.fallback() != null) b.append("; fell back: ").append(m.fallback());
    else if (m.reason() != null) b.append(" (").append(m.reason()).append(')');
    return b.toString();
  }

  /** " (live), transfer cost 2.00": what the first line of a move adds after its hosts. */
  static String started(MoveInfo m) {
    return (m.live() ? " (live)" : "") + (m.transferCost() == null ? ""
        : ", transfer cost " + CostRebalance.amount(m.transferCost()));
  }
}
