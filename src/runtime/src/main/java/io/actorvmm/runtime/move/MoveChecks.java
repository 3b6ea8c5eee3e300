package io.actorvmm.runtime.move;

import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.CostRebalance;
import io.actorvmm.domain.placement.HostVerdict;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.view.Inventory;

/** What a move states about itself before it begins: why a named target refuses it, and what its data's transfer costs. */
final class MoveChecks {
  private MoveChecks() {}

  /**
   * Why the VM cannot move: for a named target that a filter rejected, that filter and its reason
   * ("vm web-1 cannot move to host h3: the security rule refuses it: security level 1 is below security
   * level 2"); otherwise the placement's summary.
   */
  static String cannotMove(String vmId, String toHost, PlacementDecision d) {
    if (toHost != null) {
      for (HostVerdict v : d.verdicts()) {
        if (toHost.equals(v.hostId()) && v.outcome() == HostVerdict.Outcome.REJECTED && v.reason() != null) {
          return "vm " + vmId + " cannot move to host " + toHost + ": the " + v.filter() + " rule refuses it: "
              + v.reason();
        }
      }
    }
    return "vm " + vmId + " cannot move: " + d.summary();
  }

  /**
   * The one-off cost of moving the data of a VM of {@code spec} from {@code from} to {@code to}, as
   * {@link CostRebalance#transferCost} charges it (disk GiB × both hosts' per-GiB-transferred rates);
   * null when the node has no read side yet or it does not know one of the hosts yet.
   */
  static Double transferCost(Inventory inv, VmSpec spec, String from, String to) {
    if (inv == null || spec == null) return null;
    HostState source = inv.host(from);
    HostState target = inv.host(to);
    if (source == null || target == null || !source.registered() || !target.registered()) return null;
    return CostRebalance.transferCost(spec, source.spec().costRates(), target.spec().costRates());
  }
}
