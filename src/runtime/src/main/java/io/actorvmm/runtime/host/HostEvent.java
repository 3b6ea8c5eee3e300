package io.actorvmm.runtime.host;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.runtime.AvmEvent;

/** The events of a host. */
public sealed interface HostEvent extends AvmEvent {

  /** The host's control program registered the host (again) with this spec from this node. */
  record HostRegistered(String hostId, HostSpec spec, String node, EventMeta meta) implements HostEvent {}

  /** The host went Up, into Maintenance or Down, and why. */
  record HostStatusChanged(String hostId, HostStatus status, String reason, EventMeta meta) implements HostEvent {}

  /** Capacity was reserved for a VM. */
  record CapacityReserved(String hostId, String vmId, String appId, Resources resources, EventMeta meta)
      implements HostEvent {}

  /** A VM's reservation was released. */
  record CapacityReleased(String hostId, String vmId, String reason, EventMeta meta) implements HostEvent {}

  /**
   * A drain began ({@code drain} set: the host goes into Maintenance and its VMs move away) or ended
   * ({@code drain} null: the host is back Up unless it is down).
   */
  record HostDrainChanged(String hostId, HostState.Drain drain, String reason, EventMeta meta) implements HostEvent {}

  /**
   * The host's control program stopped a VM its virtual layer ran although the cluster does not assign
   * it here (failed over elsewhere, stopped, deleted), and why: a VM never runs in two places.
   */
  record HostVmStopped(String hostId, String vmId, String reason, EventMeta meta) implements HostEvent {}

  /** The VMs the host's virtual layer runs that the cluster does not know changed: never touched, only listed. */
  record HostUnmanagedChanged(String hostId, java.util.List<String> vms, EventMeta meta) implements HostEvent {}

  /**
   * The failover of the lost host waits: until its watchdog has certainly stopped its VMs
   * ({@code until}), or for an operator to confirm it dead ({@code operator}); an {@code until} of
   * now, not by an operator, ends the wait (the host was confirmed dead).
   */
  record HostFenceWait(String hostId, java.time.Instant until, boolean operator, String reason, EventMeta meta)
      implements HostEvent {}
}
