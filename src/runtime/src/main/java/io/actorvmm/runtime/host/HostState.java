package io.actorvmm.runtime.host;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.runtime.CborSerializable;
import java.util.List;
import java.util.Map;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * A host's state as its events build it: the registered spec, its status with the reason, and the
 * reservations of the VMs assigned to it (never more than its capacity), with their running total
 * and the number of VMs per application; and the VMs its virtual layer runs that the cluster does not
 * know ({@code unmanaged}: never touched, listed for the operator).
 *
 * <p>The maps are persistent maps, so an event costs O(log n) and never copies the reservations of
 * a host that holds thousands of VMs; {@code used} and {@code apps} are kept as running totals, so
 * the view the scheduler ranks is built without walking the reservations.
 */
public record HostState(String hostId, HostSpec spec, HostStatus status, String statusReason, String node,
                        Map<String, Reservation> reservations, Resources used, Map<String, Integer> apps, Drain drain,
                        List<String> unmanaged, FenceWait fenceWait)
    implements CborSerializable {

  /** A state without a fence wait. */
  public HostState(String hostId, HostSpec spec, HostStatus status, String statusReason, String node,
                   Map<String, Reservation> reservations, Resources used, Map<String, Integer> apps, Drain drain,
                   List<String> unmanaged) {
    this(hostId, spec, status, statusReason, node, reservations, used, apps, drain, unmanaged, null);
  }

  /**
   * What the failover of a lost host waits for before its VMs start elsewhere: the instant its
   * watchdog has certainly stopped them ({@code until}), or an operator's confirmation that the host
   * is dead ({@code operator}); and why.
   */
  public record FenceWait(java.time.Instant until, boolean operator, String reason) implements CborSerializable {
    /** True while the failover may not start at {@code now}. */
    public boolean holds(java.time.Instant now) {
      return operator || (until != null && now.isBefore(until));
    }
  }

  /** A state that lists no unmanaged VMs. */
  public HostState(String hostId, HostSpec spec, HostStatus status, String statusReason, String node,
                   Map<String, Reservation> reservations, Resources used, Map<String, Integer> apps, Drain drain) {
    this(hostId, spec, status, statusReason, node, reservations, used, apps, drain, List.of());
  }

  /**
   * A drain under way: its VMs move away ({@code onlyTarget}: all onto that host, as when the host is
   * replaced; null: where the scheduler places them), live or cold; {@code retire} when the host leaves
   * service once empty.
   */
  public record Drain(String onlyTarget, boolean live, boolean retire, String who) implements CborSerializable {}

  /** A state outside any drain. */
  public HostState(String hostId, HostSpec spec, HostStatus status, String statusReason, String node,
                   Map<String, Reservation> reservations, Resources used, Map<String, Integer> apps) {
    this(hostId, spec, status, statusReason, node, reservations, used, apps, null);
  }

  /** The resources one VM holds on the host, and the application the VM belongs to ("" for none). */
  public record Reservation(String vmId, String appId, Resources resources) implements CborSerializable {}

  /** Makes the maps persistent; totals missing (an older snapshot) are recomputed from the reservations. */
  public HostState {
    PMap<String, Reservation> res = reservations == null ? HashTreePMap.empty()
        : reservations instanceof PMap<String, Reservation> p ? p : HashTreePMap.from(reservations);
    reservations = res;
    unmanaged = unmanaged == null ? List.of() : List.copyOf(unmanaged);
    if (used == null || apps == null) {
      Resources sum = Resources.ZERO;
      PMap<String, Integer> counts = HashTreePMap.empty();
      for (Reservation r : res.values()) {
        sum = sum.plus(r.resources());
        counts = count(counts, r.appId(), 1);
      }
      used = sum;
      apps = counts;
    } else if (!(apps instanceof PMap)) {
      apps = HashTreePMap.from(apps);
    }
  }

  /** A state with these fields and empty reservations. */
  public HostState(String hostId, HostSpec spec, HostStatus status, String statusReason, String node,
                   Map<String, Reservation> reservations) {
    this(hostId, spec, status, statusReason, node, reservations, null, null);
  }

  /** The state of a host that never registered. */
  public static HostState empty(String hostId) {
    return new HostState(hostId, null, HostStatus.DOWN, "never registered", null, HashTreePMap.empty(),
        Resources.ZERO, HashTreePMap.empty());
  }

  /** True while a drain is under way or holds the host in maintenance. */
  public boolean draining() {
    return drain != null;
  }

  /** True once the host has registered. */
  public boolean registered() {
    return spec != null;
  }

  /** Capacity less what is reserved. */
  public Resources free() {
    return spec == null ? Resources.ZERO : spec.capacity().minus(used);
  }

  /** How many VMs of {@code app} hold a reservation here. */
  public int replicas(String app) {
    Integer n = app == null ? null : apps.get(app);
    return n == null ? 0 : n;
  }

  /** The view the placement engine ranks. */
  public HostCandidate candidate() {
    return new HostCandidate(spec, status, used, apps, reservations.size());
  }

  /** This state after {@code event}. */
  public HostState apply(HostEvent event) {
    if (event instanceof HostEvent.HostFenceWait e) {
      return new HostState(hostId, spec, status, statusReason, node, reservations, used, apps, drain, unmanaged,
          new FenceWait(e.until(), e.operator(), e.reason()));
    }
    HostState next = applyOther(event);
    // a host registered again is back: whatever its failover waited for is over
    return event instanceof HostEvent.HostRegistered || next.fenceWait() == fenceWait ? next
        : new HostState(next.hostId, next.spec, next.status, next.statusReason, next.node, next.reservations,
            next.used, next.apps, next.drain, next.unmanaged, fenceWait);
  }

  private HostState applyOther(HostEvent event) {
    if (event instanceof HostEvent.HostRegistered e) {
      // a host in a drain stays in maintenance when its control program registers again
      return drain != null
          ? new HostState(hostId, e.spec(), HostStatus.MAINTENANCE, statusReason, e.node(), reservations, used, apps,
              drain, unmanaged)
          : new HostState(hostId, e.spec(), HostStatus.UP, "registered by " + e.node(), e.node(), reservations, used,
              apps, null, unmanaged);
    } else if (event instanceof HostEvent.HostStatusChanged e) {
      return new HostState(hostId, spec, e.status(), e.reason(), node, reservations, used, apps, drain, unmanaged);
    } else if (event instanceof HostEvent.HostDrainChanged e) {
      HostStatus st = status == HostStatus.DOWN ? HostStatus.DOWN
          : e.drain() != null ? HostStatus.MAINTENANCE : HostStatus.UP;
      return new HostState(hostId, spec, st, e.reason(), node, reservations, used, apps, e.drain(), unmanaged);
    } else if (event instanceof HostEvent.CapacityReserved e) {
      PMap<String, Reservation> res = pmap(reservations);
      Reservation old = res.get(e.vmId());
      Resources u = used;
      PMap<String, Integer> a = pmap(apps);
      if (old != null) {
        u = u.minus(old.resources());
        a = count(a, old.appId(), -1);
      }
      Reservation r = new Reservation(e.vmId(), e.appId() == null ? "" : e.appId(), e.resources());
      return new HostState(hostId, spec, status, statusReason, node, res.plus(e.vmId(), r),
          u.plus(r.resources()), count(a, r.appId(), 1), drain, unmanaged);
    } else if (event instanceof HostEvent.CapacityReleased e) {
      PMap<String, Reservation> res = pmap(reservations);
      Reservation old = res.get(e.vmId());
      if (old == null) return this;
      return new HostState(hostId, spec, status, statusReason, node, res.minus(e.vmId()),
          used.minus(old.resources()), count(pmap(apps), old.appId(), -1), drain, unmanaged);
    } else if (event instanceof HostEvent.HostUnmanagedChanged e) {
      return new HostState(hostId, spec, status, statusReason, node, reservations, used, apps, drain, e.vms());
    } else if (event instanceof HostEvent.HostVmStopped) {
      return this;
    }
    throw new IllegalStateException("unknown host event " + event);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> PMap<K, V> pmap(Map<K, V> m) {
    return (PMap<K, V>) m;
  }

  private static PMap<String, Integer> count(PMap<String, Integer> counts, String app, int delta) {
    if (app == null || app.isEmpty()) return counts;
    int n = counts.getOrDefault(app, 0) + delta;
    return n <= 0 ? counts.minus(app) : counts.plus(app, n);
  }
}
