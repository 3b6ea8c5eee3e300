package io.actorvmm.runtime.vm;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.runtime.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A VM's state as its events build it: spec, lifecycle phase, the host it is assigned to, copy
 * progress, its application, the last reason given, the last placement decision, the move under
 * way (null when none), its restarts by its restart policy, and where its data is when it cannot be
 * used (null when it can).
 */
public record VmState(String vmId, VmSpec spec, VmPhase phase, String hostId, int copyPercent, String appId,
                      Set<String> distinctFromApps, String reason, PlacementDecision placement, EventMeta created,
                      PlacementRules rules, Moving moving, Restarts restarts, DataLoss dataLoss)
    implements CborSerializable {

  /** The move a VM is in: its number, source, target and kind. */
  public record Moving(long moveId, String fromHost, String toHost, boolean live) implements CborSerializable {}

  /**
   * The VM's restarts in place by its restart policy (the latest {@value #KEPT}), the earliest time the
   * next one may boot (null: none waiting), and when the policy last relocated it (null: never).
   */
  public record Restarts(List<Instant> times, Instant nextTry, Instant relocatedAt) implements CborSerializable {
    /** How many restart times a VM keeps: more than any window counts. */
    public static final int KEPT = 100;
    /** None yet. */
    public static final Restarts NONE = new Restarts(List.of(), null, null);

    /** Copies the list so the record stays immutable. */
    public Restarts {
      times = times == null ? List.of() : List.copyOf(times);
    }

    Restarts add(Instant at, Instant next) {
      List<Instant> t = new ArrayList<>(times);
      t.add(at);
      if (t.size() > KEPT) t = t.subList(t.size() - KEPT, t.size());
      return new Restarts(t, next, relocatedAt);
    }

    Restarts relocated(Instant at) {
      return new Restarts(times, null, at);
    }

    Restarts settled() {
      return nextTry == null ? this : new Restarts(times, null, relocatedAt);
    }
  }

  /**
   * The VM's data cannot be used: it lived only on {@code hostId} (null: it is gone), and why. A start
   * then needs the operator's word to begin again from the image.
   */
  public record DataLoss(String hostId, String reason) implements CborSerializable {}

  /** Copies the set so the record stays immutable. */
  public VmState {
    distinctFromApps = distinctFromApps == null ? Set.of() : Set.copyOf(distinctFromApps);
    rules = PlacementRules.orNone(rules);
    restarts = restarts == null ? Restarts.NONE : restarts;
  }

  /** The state of a VM that was never created. */
  public static VmState empty(String vmId) {
    return new VmState(vmId, null, VmPhase.DEFINED, null, 0, null, Set.of(), null, null, null, PlacementRules.NONE,
        null, Restarts.NONE, null);
  }

  /** True once the VM has been created. */
  public boolean exists() {
    return spec != null;
  }

  /** True while a move holds the VM. */
  public boolean inMove() {
    return moving != null;
  }

  /** True for a VM of an application (its restart policy defaults to always). */
  public boolean serviceVm() {
    return appId != null;
  }

  private VmState with(VmPhase p, String host, int pct, String why) {
    return new VmState(vmId, spec, p, host, pct, appId, distinctFromApps, why, placement, created, rules, moving,
        restarts, dataLoss);
  }

  private VmState withMoving(Moving m) {
    return new VmState(vmId, spec, phase, hostId, copyPercent, appId, distinctFromApps, reason, placement, created,
        rules, m, restarts, dataLoss);
  }

  private VmState withRestarts(Restarts r) {
    return new VmState(vmId, spec, phase, hostId, copyPercent, appId, distinctFromApps, reason, placement, created,
        rules, moving, r, dataLoss);
  }

  private VmState withDataLoss(DataLoss d) {
    return new VmState(vmId, spec, phase, hostId, copyPercent, appId, distinctFromApps, reason, placement, created,
        rules, moving, restarts, d);
  }

  private VmState placed(String host, PlacementDecision decision, String why) {
    return new VmState(vmId, spec, VmPhase.PLACED, host, 0, appId, distinctFromApps, why, decision, created, rules,
        null, restarts.settled(), null);
  }

  /** This state after {@code event}. */
  public VmState apply(VmEvent event) {
    if (event instanceof VmEvent.VmCreated e) {
      return new VmState(vmId, e.spec(), VmPhase.DEFINED, null, 0, e.appId(), e.distinctFromApps(), null, null,
          e.meta(), e.rules(), null, Restarts.NONE, null);
    } else if (event instanceof VmEvent.VmPlaced e) {
      return placed(e.hostId(), e.decision(), e.decision().summary());
    } else if (event instanceof VmEvent.VmPlacementRefused e) {
      // a VM that was asked to start and fits nowhere waits as Pending, with the reason
      return new VmState(vmId, spec, VmPhase.PENDING, null, 0, appId, distinctFromApps, e.decision().summary(),
          e.decision(), created, rules, null, restarts.settled(), dataLoss);
    } else if (event instanceof VmEvent.VmCopyProgressed e) {
      return with(VmPhase.COPYING, hostId, e.percent(), reason);
    } else if (event instanceof VmEvent.VmBooting) {
      return with(VmPhase.BOOTING, hostId, 100, reason);
    } else if (event instanceof VmEvent.VmRunning) {
      return with(VmPhase.RUNNING, hostId, 100, reason).withRestarts(restarts.settled());
    } else if (event instanceof VmEvent.VmStopping) {
      return with(VmPhase.STOPPING, hostId, copyPercent, reason);
    } else if (event instanceof VmEvent.VmStopped e) {
      return with(VmPhase.STOPPED, null, 0, e.reason()).withRestarts(restarts.settled());
    } else if (event instanceof VmEvent.VmFailed e) {
      VmState failed = with(VmPhase.FAILED, null, 0, e.reason()).withRestarts(restarts.settled());
      return e.dataMissing() ? failed.withDataLoss(new DataLoss(null, e.reason())) : failed;
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
      VmState ended = with(e.phase(), e.hostId(), e.phase() == VmPhase.RUNNING ? 100 : 0, e.reason()).withMoving(null);
      // ended on no host: a VM whose data lived only on the move's source waits for that host to return
      boolean stranded = e.phase() == VmPhase.FAILED && e.hostId() == null && moving != null
          && spec.data() == io.actorvmm.domain.DataPolicy.LOCAL;
      return stranded ? ended.withDataLoss(new DataLoss(moving.fromHost(), e.reason())) : ended;
    } else if (event instanceof VmEvent.VmLost e) {
      String why = e.dataUnavailable()
          ? "data unavailable: its data lived only on host " + e.hostId() + " (" + e.reason() + ")"
          : "lost with host " + e.hostId() + " (" + e.reason() + ")";
      VmState lost = with(VmPhase.FAILED, null, 0, why).withMoving(null).withRestarts(restarts.settled());
      return e.dataUnavailable() ? lost.withDataLoss(new DataLoss(e.hostId(), why)) : lost;
    } else if (event instanceof VmEvent.VmRestarting e) {
      return with(VmPhase.PLACED, e.hostId(), 0, e.reason()).withRestarts(e.attempt() > 0
          ? restarts.add(e.meta().at(), e.notBefore()) : new Restarts(restarts.times(), e.notBefore(),
              restarts.relocatedAt()));
    } else if (event instanceof VmEvent.VmRelocating e) {
      return with(VmPhase.FAILED, null, 0, e.reason()).withRestarts(restarts.relocated(e.meta().at()));
    } else if (event instanceof VmEvent.VmDataFound e) {
      return placed(e.hostId(), e.decision(), e.reason());
    }
    throw new IllegalStateException("unknown vm event " + event);
  }
}
