package io.actorvmm.runtime.vm;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.runtime.AvmEvent;
import java.time.Instant;
import java.util.Set;

/** The events of a VM's lifecycle. */
public sealed interface VmEvent extends AvmEvent {

  /** The VM was defined; {@code appId} is null for a VM outside any application. */
  record VmCreated(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps, EventMeta meta,
                   PlacementRules rules) implements VmEvent {
    /** A VM without placement rules besides anti-affinity. */
    public VmCreated(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps, EventMeta meta) {
      this(vmId, spec, appId, distinctFromApps, meta, PlacementRules.NONE);
    }
  }

  /** The scheduler chose a host and reserved capacity there; the decision says why. */
  record VmPlaced(String vmId, String hostId, PlacementDecision decision, EventMeta meta) implements VmEvent {}

  /** No host could take the VM; the decision says why for every host. */
  record VmPlacementRefused(String vmId, PlacementDecision decision, EventMeta meta) implements VmEvent {}

  /** The VM's image and data are being established on its host. */
  record VmCopyProgressed(String vmId, String hostId, int percent, EventMeta meta) implements VmEvent {}

  /** The VM's host is booting it. */
  record VmBooting(String vmId, String hostId, EventMeta meta) implements VmEvent {}

  /** The VM runs on its host. */
  record VmRunning(String vmId, String hostId, EventMeta meta) implements VmEvent {}

  /** A stop was asked for. */
  record VmStopping(String vmId, EventMeta meta) implements VmEvent {}

  /** The VM no longer runs; its host's reservation is released. */
  record VmStopped(String vmId, String reason, EventMeta meta) implements VmEvent {}

  /**
   * The VM failed on its host, and why; its host's reservation is released. {@code dataMissing} when its
   * host no longer holds its data (a start then begins again from its image only when asked to).
   */
  record VmFailed(String vmId, String hostId, String reason, EventMeta meta, boolean dataMissing)
      implements VmEvent {
    /** A failure that left the VM's data where it was. */
    public VmFailed(String vmId, String hostId, String reason, EventMeta meta) {
      this(vmId, hostId, reason, meta, false);
    }
  }

  /** The VM was deleted. */
  record VmDeleted(String vmId, EventMeta meta) implements VmEvent {}

  /** A move of the VM from {@code fromHost} to {@code toHost} took hold of it; the target holds a reservation. */
  record VmMoveStarted(String vmId, long moveId, String fromHost, String toHost, boolean live, EventMeta meta)
      implements VmEvent {}

  /** A move changed what the VM is doing: stopped on its source, data copied so far, booting on the target. */
  record VmMoveProgressed(String vmId, long moveId, VmPhase phase, int percent, String reason, EventMeta meta)
      implements VmEvent {}

  /** A move assigned the VM to its target host; the VM's data is there. */
  record VmMoved(String vmId, long moveId, String fromHost, String toHost, EventMeta meta) implements VmEvent {}

  /** A move ended: the VM is on {@code hostId} in {@code phase}; {@code completed} false when it fell back. */
  record VmMoveEnded(String vmId, long moveId, String hostId, VmPhase phase, boolean completed, String reason,
                     EventMeta meta) implements VmEvent {}

  /**
   * The VM's host was lost; {@code dataUnavailable} when its data lived only there (it is not restarted),
   * otherwise it is restarted elsewhere.
   */
  record VmLost(String vmId, String hostId, String reason, boolean dataUnavailable, EventMeta meta)
      implements VmEvent {}

  /**
   * The VM was found not running on its host and its restart policy restarts it there: restart
   * {@code attempt} of {@code of} in the policy's window (0: a restart after its node restarted, which
   * does not count), booting no earlier than {@code notBefore} (the back-off); the reservation stays.
   */
  record VmRestarting(String vmId, String hostId, int attempt, int of, Instant notBefore, String reason,
                      EventMeta meta) implements VmEvent {}

  /**
   * The VM's restarts in place on {@code fromHost} are used up and its policy relocates it: the
   * reservation there is released and it is placed on another host.
   */
  record VmRelocating(String vmId, String fromHost, String reason, EventMeta meta) implements VmEvent {}

  /**
   * A VM whose data was unavailable found it again on {@code hostId} (its host came back): it is placed
   * there again by {@code decision} to run from that data.
   */
  record VmDataFound(String vmId, String hostId, PlacementDecision decision, String reason, EventMeta meta)
      implements VmEvent {}
}
