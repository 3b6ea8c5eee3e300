package io.actorvmm.runtime.host;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.runtime.CborSerializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host's state as its events build it: the registered spec, its status with the reason, and the
 * reservations of the VMs assigned to it (never more than its capacity).
 */
public record HostState(String hostId, HostSpec spec, HostStatus status, String statusReason, String node,
                        Map<String, Reservation> reservations) implements CborSerializable {

  /** The resources one VM holds on the host, and the application the VM belongs to ("" for none). */
  public record Reservation(String vmId, String appId, Resources resources) implements CborSerializable {}

  /** Copies the reservations so the record stays immutable. */
  public HostState {
    reservations = reservations == null ? Map.of() : Map.copyOf(reservations);
  }

  /** The state of a host that never registered. */
  public static HostState empty(String hostId) {
    return new HostState(hostId, null, HostStatus.DOWN, "never registered", null, Map.of());
  }

  /** True once the host has registered. */
  public boolean registered() {
    return spec != null;
  }

  /** The resources reserved by VMs. */
  public Resources used() {
    Resources sum = Resources.ZERO;
    for (Reservation r : reservations.values()) sum = sum.plus(r.resources());
    return sum;
  }

  /** Capacity less what is reserved. */
  public Resources free() {
    return spec == null ? Resources.ZERO : spec.capacity().minus(used());
  }

  /** The view the placement engine ranks. */
  public HostCandidate candidate() {
    Map<String, String> vmApps = new LinkedHashMap<>();
    reservations.values().forEach(r -> vmApps.put(r.vmId(), r.appId()));
    return new HostCandidate(spec, status, used(), vmApps);
  }

  /** This state after {@code event}. */
  public HostState apply(HostEvent event) {
    if (event instanceof HostEvent.HostRegistered e) {
      return new HostState(hostId, e.spec(), HostStatus.UP, "registered by " + e.node(), e.node(), reservations);
    } else if (event instanceof HostEvent.HostStatusChanged e) {
      return new HostState(hostId, spec, e.status(), e.reason(), node, reservations);
    } else if (event instanceof HostEvent.CapacityReserved e) {
      Map<String, Reservation> next = new LinkedHashMap<>(reservations);
      next.put(e.vmId(), new Reservation(e.vmId(), e.appId(), e.resources()));
      return new HostState(hostId, spec, status, statusReason, node, next);
    } else if (event instanceof HostEvent.CapacityReleased e) {
      Map<String, Reservation> next = new LinkedHashMap<>(reservations);
      next.remove(e.vmId());
      return new HostState(hostId, spec, status, statusReason, node, next);
    }
    throw new IllegalStateException("unknown host event " + event);
  }
}
