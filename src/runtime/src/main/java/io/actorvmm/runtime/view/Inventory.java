package io.actorvmm.runtime.view;

import io.actorvmm.runtime.app.AppEvent;
import io.actorvmm.runtime.app.AppState;
import io.actorvmm.runtime.host.HostEvent;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.service.ServiceEvent;
import io.actorvmm.runtime.service.ServiceState;
import io.actorvmm.runtime.vm.VmEvent;
import io.actorvmm.runtime.vm.VmState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's read side of the whole inventory, folded from the journal's tagged events with the
 * entities' own state functions. Lists come from here (eventually consistent within the read
 * journal's refresh interval); a single entity's state is read from the entity itself.
 */
public final class Inventory {
  private final Map<String, HostState> hosts = new ConcurrentHashMap<>();
  private final Map<String, VmState> vms = new ConcurrentHashMap<>();
  private final Map<String, AppState> apps = new ConcurrentHashMap<>();
  private final Map<String, ServiceState> services = new ConcurrentHashMap<>();
  // host id -> the VMs running there, kept as events arrive so a host's running VMs are found without a scan
  private final Map<String, java.util.Set<String>> runningOn = new ConcurrentHashMap<>();
  private final Map<String, io.actorvmm.runtime.auth.TokenState> tokens = new ConcurrentHashMap<>();
  private final Map<String, io.actorvmm.runtime.auth.UserState> users = new ConcurrentHashMap<>();
  private volatile long offset;

  /** Folds one event of entity {@code entityId} in. */
  public void apply(String entityId, Object event, long eventOffset) {
    if (event instanceof HostEvent e) {
      hosts.compute(entityId, (id, s) -> (s == null ? HostState.empty(id) : s).apply(e));
    } else if (event instanceof VmEvent e) {
      VmState before = vms.get(entityId);
      VmState after = vms.compute(entityId, (id, s) -> (s == null ? VmState.empty(id) : s).apply(e));
      if (before != null && before.hostId() != null) {
        java.util.Set<String> was = runningOn.get(before.hostId());
        if (was != null) was.remove(entityId);
      }
      if (after.phase() == io.actorvmm.domain.VmPhase.RUNNING && after.hostId() != null) {
        runningOn.computeIfAbsent(after.hostId(), h -> ConcurrentHashMap.newKeySet()).add(entityId);
      }
    } else if (event instanceof AppEvent e) {
      apps.compute(entityId, (id, s) -> (s == null ? AppState.empty(id) : s).apply(e));
    } else if (event instanceof ServiceEvent e) {
      services.compute(entityId, (id, s) -> (s == null ? ServiceState.empty(id) : s).apply(e));
    } else if (event instanceof io.actorvmm.runtime.auth.TokenEvent e) {
      tokens.compute(entityId, (id, s) -> (s == null ? io.actorvmm.runtime.auth.TokenState.empty(id) : s).apply(e));
    } else if (event instanceof io.actorvmm.runtime.auth.UserEvent e) {
      users.compute(entityId, (id, s) -> (s == null ? io.actorvmm.runtime.auth.UserState.empty(id) : s).apply(e));
    }
    offset = Math.max(offset, eventOffset);
  }

  /** The offset of the newest event folded in. */
  public long offset() {
    return offset;
  }

  /** The host {@code hostId} as the read side last saw it, or null. */
  public HostState host(String hostId) {
    return hostId == null ? null : hosts.get(hostId);
  }

  /** Every host, by id. */
  public List<HostState> hosts() {
    return sorted(hosts.values(), HostState::hostId);
  }

  /** Every VM that was not deleted, by id. */
  public List<VmState> vms() {
    return sorted(vms.values().stream().filter(v -> v.phase() != io.actorvmm.domain.VmPhase.DELETED).toList(),
        VmState::vmId);
  }

  /** The ids of the VMs waiting as Pending, by id. */
  public List<String> pendingVmIds() {
    List<String> out = new ArrayList<>();
    for (VmState v : vms.values()) if (v.phase() == io.actorvmm.domain.VmPhase.PENDING) out.add(v.vmId());
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** The VMs running on host {@code hostId}, as the read side last saw them (unordered). */
  public List<VmState> runningOn(String hostId) {
    java.util.Set<String> ids = runningOn.get(hostId);
    if (ids == null) return List.of();
    List<VmState> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      VmState v = vms.get(id);
      if (v != null) out.add(v);
    }
    return out;
  }

  /** Every application, by id. */
  public List<AppState> apps() {
    return sorted(apps.values(), AppState::appId);
  }

  /** Every service, by name. */
  public List<ServiceState> services() {
    return sorted(services.values(), ServiceState::name);
  }

  /** The token {@code id} as the read side last saw it, or null. */
  public io.actorvmm.runtime.auth.TokenState token(String id) {
    return id == null ? null : tokens.get(id);
  }

  /** The user {@code name} as the read side last saw it (the built-in admin always), or null. */
  public io.actorvmm.runtime.auth.UserState user(String name) {
    if (name == null) return null;
    io.actorvmm.runtime.auth.UserState u = users.get(name);
    return u != null ? u : io.actorvmm.runtime.auth.UserState.ADMIN.equals(name)
        ? io.actorvmm.runtime.auth.UserState.empty(name) : null;
  }

  /** Every API token issued, by id. */
  public List<io.actorvmm.runtime.auth.TokenState> tokens() {
    return sorted(tokens.values(), io.actorvmm.runtime.auth.TokenState::tokenId);
  }

  /** Every user created, and the built-in admin, by name. */
  public List<io.actorvmm.runtime.auth.UserState> users() {
    Map<String, io.actorvmm.runtime.auth.UserState> all = new java.util.HashMap<>(users);
    all.putIfAbsent(io.actorvmm.runtime.auth.UserState.ADMIN,
        io.actorvmm.runtime.auth.UserState.empty(io.actorvmm.runtime.auth.UserState.ADMIN));
    return sorted(all.values().stream().filter(io.actorvmm.runtime.auth.UserState::exists).toList(),
        io.actorvmm.runtime.auth.UserState::name);
  }

  private static <T> List<T> sorted(java.util.Collection<T> values, java.util.function.Function<T, String> key) {
    List<T> out = new ArrayList<>(values);
    out.sort(Comparator.comparing(key));
    return out;
  }
}
