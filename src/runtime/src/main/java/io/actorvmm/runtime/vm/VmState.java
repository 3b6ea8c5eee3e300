package io.actorvmm.runtime.vm;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.runtime.CborSerializable;
import java.util.Set;

/**
 * A VM's state as its events build it: spec, lifecycle phase, the host it is assigned to, copy
 * progress, its application, the last reason given, the last placement decision, and the move under
 * way (null when none).
 */
public record VmState(String vmId, VmSpec spec, VmPhase phase, String hostId, int copyPercent, String appId,
                      Set<String> distinctFromApps, String reason, PlacementDecision placement, EventMeta created,
                      PlacementRules rules, Moving moving)
    implements CborSerializable {

  /** The move a VM is in: its number, source, target and kind. */
  public record Moving(long moveId, String fromHost, String toHost, boolean live) implements CborSerializable {}

  /** Copies the set so the record stays immutable. */
  public VmState {
    distinctFromApps = distinctFromApps == null ? Set.of() : Set.copyOf(distinctFromApps);
    rules = PlacementRules.orNone(rules);
  }

  /** A state outside any move. */
  public VmState(String vmId, VmSpec spec, VmPhase phase, String hostId, int copyPercent, String appId,
                 Set<String> distinctFromApps, String reason, PlacementDecision placement, EventMeta created,
                 PlacementRules rules) {
    this(vmId, spec, phase, hostId, copyPercent, appId, distinctFromApps, reason, placement, created, rules, null);
  }

  /** A state without placement rules besides anti-affinity. */
  public VmState(String vmId, VmSpec spec, VmPhase phase, String hostId, int copyPercent, String appId,
                 Set<String> distinctFromApps, String reason, PlacementDecision placement, EventMeta created) {
    this(vmId, spec, phase, hostId, copyPercent, appId, distinctFromApps, reason, placement, created,
        PlacementRules.NONE);
  }

  /** The state of a VM that was never created. */
  public static VmState empty(String vmId) {
    return new VmState(vmId, null, VmPhase.DEFINED, null, 0, null, Set.of(), null, null, null);
  }

  /** True once the VM has been created. */
  public boolean exists() {
    return spec != null;
  }

  /** True while a move holds the VM. */
  public boolean inMove() {
    return moving != null;
  }

  private VmState with(VmPhase p, String host, int pct, String why) {
    return new VmState(vmId, spec, p, host, pct, appId, distinctFromApps, why, placement, created, rules, moving);
  }

  private VmState withMoving(Moving m) {
    return new VmState(vmId, spec, phase, hostId, copyPercent, appId, distinctFromApps, reason, placement, created,
        rules, m);
  }

  /** This state after {@code event}. */
  public VmState apply(VmEvent event) {
    if (event instanceof VmEvent.VmCreated e) {
      return new VmState(vmId, e.spec(), VmPhase.DEFINED, null, 0, e.appId(), e.distinctFromApps(), null, null,
          e.meta(), e.rules());
    } else if (event instanceof VmEvent.VmPlaced e) {
      return new VmState(vmId, spec, VmPhase.PLACED, e.hostId(), 0, appId, distinctFromApps,
          e.decision().summary(), e.decision(), created, rules);
    } else if (event instanceof VmEvent.VmPlacementRefused e) {
      // a VM that was asked to start and fits nowhere waits as Pending, with the reason
      return new VmState(vmId, spec, VmPhase.PENDING, null, 0, appId, distinctFromApps, e.decision().summary(),
          e.decision(), created, rules);
    } else if (event instanceof VmEvent.VmCopyProgressed e) {
      return with(VmPhase.COPYING, hostId, e.percent(), reason);
    } else if (event instanceof VmEvent.VmBooting) {
      return with(VmPhase.BOOTING, hostId, 100, reason);
    } else if (event instanceof VmEvent.VmRunning) {
      return with(VmPhase.RUNNING, hostId, 100, reason);
    } else if (event instanceof VmEvent.VmStopping) {
      return with(VmPhase.STOPPING, hostId, copyPercent, reason);
    } else if (event instanceof VmEvent.VmStopped e) {
      return with(VmPhase.STOPPED, null, 0, e.reason());
    } else if (event instanceof VmEvent.VmFailed e) {
      return with(VmPhase.FAILED, null, 0, e.reason());
    } else if (event instanceof VmEvent.VmDeleted) {
      return with(VmPhase.DELETED, null, 0, "deleted");
    } else if (event instanceof VmEvent.VmMoveStarted e) {
      return with(phase, hostId, copyPercent, (e.live() ? "moving live to " : "moving to ") + e.toHost())
          .withMoving(new Moving(e.moveId(), e.fromHost(), e.toHost(), e.live()));
    } else if (event instanceof VmEvent.VmMoveProgressed e) {
      return with(e.phase(), hostId, e.percent(), e.reason());
    } else if (event instanceof VmEvent.VmMoved e) {
      return with(VmPhase.BOOTING, e.toHost(), 100, "moved from " + e.fromHost());
    } else if (event instanceof VmEvent.VmMoveEnded e) {
      return with(e.phase(), e.hostId(), e.phase() == VmPhase.RUNNING ? 100 : 0, e.reason()).withMoving(null);
    } else if (event instanceof VmEvent.VmLost e) {
      return with(VmPhase.FAILED, null, 0, e.dataUnavailable()
          ? "data unavailable: its data lived only on host " + e.hostId() + " (" + e.reason() + ")"
          : "lost with host " + e.hostId() + " (" + e.reason() + ")").withMoving(null);
    }
    throw new IllegalStateException("unknown vm event " + event);
  }
}
