package io.actorvmm.runtime.move;

import io.actorvmm.domain.whatif.Move;
import io.actorvmm.domain.whatif.Scenario;
import io.actorvmm.domain.whatif.Unplaced;
import io.actorvmm.domain.whatif.WhatIf;
import io.actorvmm.domain.whatif.WhatIfResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plan of a drain, rebalance or replacement, computed by the domain's what-if from the node's read
 * side: which VM goes where, in which wave, which services degrade, what cannot move and why.
 */
public final class DrainPlan {
  private DrainPlan() {}

  /** What draining {@code hostId} would do now; IllegalArgumentException when the host is unknown. */
  public static WhatIfResult plan(ReadSide read, String hostId) {
    return WhatIf.standard().run(read.snapshot(), Scenario.hostDrained(hostId));
  }

  /**
   * The order in which a drain asks its VMs to move: the plan's moves (restart priority, then start
   * order, wave by wave), then the VMs the plan cannot place, then any the read side does not show yet.
   */
  public static List<String> order(ReadSide read, String hostId, Collection<String> vmsOnHost) {
    Set<String> out = new LinkedHashSet<>();
    try {
      WhatIfResult r = plan(read, hostId);
      List<Move> moves = new ArrayList<>(r.moves());
      moves.sort(java.util.Comparator.comparingInt(Move::wave));
      for (Move m : moves) if (vmsOnHost.contains(m.vmId())) out.add(m.vmId());
      for (Unplaced u : r.unplaced()) if (vmsOnHost.contains(u.vmId())) out.add(u.vmId());
    } catch (RuntimeException noPlan) {
      // the read side has not seen the host yet (or cannot plan): plain id order; a drain never fails on it
    }
    out.addAll(new TreeSet<>(vmsOnHost));
    return List.copyOf(out);
  }
}
