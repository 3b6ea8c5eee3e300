package io.actorvmm.api;

import io.actorvmm.api.model.PlacementExplain;
import io.actorvmm.api.model.WhatIfInfo;
import io.actorvmm.domain.placement.HostVerdict;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.placement.PlacementPolicy;
import io.actorvmm.domain.service.ServiceHealth;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.whatif.Move;
import io.actorvmm.domain.whatif.ServiceImpact;
import io.actorvmm.domain.whatif.Unplaced;
import io.actorvmm.domain.whatif.WhatIfResult;
import io.actorvmm.runtime.vm.VmState;
import java.util.List;

/** Maps placement decisions and what-if results to the API's records. */
public final class PlacementViews {
  private PlacementViews() {}

  /**
   * The explanation of {@code vm}'s last decision, which must not be null; {@code service} is the
   * service whose rules the VM follows (null when it belongs to none).
   */
  public static PlacementExplain explain(VmState vm, String service) {
    PlacementDecision d = vm.placement();
    String policy = vm.rules().policy();
    boolean dflt = policy == null;
    List<PlacementExplain.HostRow> rows = d.verdicts().stream().map(PlacementViews::row).toList();
    String waiting = vm.phase() == VmPhase.PENDING ? (vm.reason() != null ? vm.reason() : d.summary()) : null;
    return new PlacementExplain(vm.vmId(), vm.phase().label(), vm.hostId(), vm.appId(), service,
        dflt ? PlacementPolicy.DEFAULT.name() : policy, dflt, d.chosenHost(), d.summary(), waiting, rows);
  }

  private static PlacementExplain.HostRow row(HostVerdict v) {
    boolean rejected = v.outcome() == HostVerdict.Outcome.REJECTED;
    // a rejected host was filtered out before scoring: it has no score
    return new PlacementExplain.HostRow(v.hostId(), v.outcome().label(), v.filter(), v.reason(),
        rejected ? null : v.score(), rejected ? null : v.scores());
  }

  /** A what-if result as the API shows it. */
  public static WhatIfInfo whatIf(WhatIfResult r) {
    return new WhatIfInfo(r.scenario(), r.summary(),
        r.moves().stream().map((Move m) -> new WhatIfInfo.Move(m.vmId(), m.app(), m.service(), m.fromHost(),
            m.toHost(), m.wave())).toList(),
        r.unplaced().stream().map((Unplaced u) -> new WhatIfInfo.Unplaced(u.vmId(), u.app(), u.service(),
            u.fromHost(), u.reason())).toList(),
        r.services().stream().map((ServiceImpact i) -> new WhatIfInfo.ServiceImpact(i.service(), health(i.before()),
            health(i.during()), health(i.after()))).toList());
  }

  private static WhatIfInfo.Health health(ServiceHealth h) {
    return h == null ? null : new WhatIfInfo.Health(h.availability() == null ? null : h.availability().label(),
        h.reason());
  }
}
