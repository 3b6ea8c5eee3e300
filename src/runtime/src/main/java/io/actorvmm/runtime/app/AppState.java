package io.actorvmm.runtime.app;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.vm.PlacementRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An application as its events build it: its kind, replica count and VM spec, the services it
 * belongs to, who wants it running, and its replicas' VMs.
 */
public record AppState(String appId, String kind, int replicas, VmSpec vm, boolean distinctHosts,
                       Set<String> services, Set<String> wantedBy, Map<String, Replica> vms, EventMeta created,
                       PlacementRules rules)
    implements CborSerializable {

  /** A state without placement rules besides anti-affinity. */
  public AppState(String appId, String kind, int replicas, VmSpec vm, boolean distinctHosts, Set<String> services,
                  Set<String> wantedBy, Map<String, Replica> vms, EventMeta created) {
    this(appId, kind, replicas, vm, distinctHosts, services, wantedBy, vms, created, PlacementRules.NONE);
  }

  /** One replica's VM: its phase and host. */
  public record Replica(String vmId, VmPhase phase, String hostId) implements CborSerializable {}

  /** Copies collections so the record stays immutable. */
  public AppState {
    services = services == null ? Set.of() : Set.copyOf(services);
    wantedBy = wantedBy == null ? Set.of() : Set.copyOf(wantedBy);
    vms = vms == null ? Map.of() : Map.copyOf(vms);
    rules = PlacementRules.orNone(rules);
  }

  /** The state of an application never defined. */
  public static AppState empty(String appId) {
    return new AppState(appId, null, 0, null, false, Set.of(), Set.of(), Map.of(), null);
  }

  /** True once defined. */
  public boolean exists() {
    return kind != null;
  }

  /** The id of replica {@code i} (1-based). */
  public String replicaVmId(int i) {
    return appId + "-" + i;
  }

  /** The ids of every replica's VM. */
  public List<String> replicaVmIds() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= replicas; i++) out.add(replicaVmId(i));
    return out;
  }

  /** How many replicas run. */
  public int running() {
    return (int) vms.values().stream().filter(r -> r.phase() == VmPhase.RUNNING).count();
  }

  /** The application's status: defined, starting, running, degraded, down or stopped. */
  public String status() {
    int run = running();
    if (wantedBy.isEmpty()) return run > 0 ? "stopping" : (vms.isEmpty() ? "defined" : "stopped");
    if (run >= replicas) return "running";
    if (run > 0) return "degraded";
    boolean inProgress = vms.values().stream().anyMatch(r -> r.phase() == VmPhase.PLACED
        || r.phase() == VmPhase.COPYING || r.phase() == VmPhase.BOOTING || r.phase() == VmPhase.DEFINED);
    if (inProgress || vms.isEmpty()) return "starting";
    return vms.values().stream().anyMatch(r -> r.phase() == VmPhase.PENDING) ? "pending" : "down";
  }

  /** The group a VM phase falls in for the application; a change of group is worth an event. */
  public static String bucket(VmPhase phase) {
    switch (phase) {
      case RUNNING: return "running";
      case PLACED: case COPYING: case BOOTING: return "starting";
      case PENDING: return "pending";
      case STOPPING: return "stopping";
      case FAILED: return "failed";
      default: return "stopped";
    }
  }

  /** This state after {@code event}. */
  public AppState apply(AppEvent event) {
    if (event instanceof AppEvent.AppDefined e) {
      return new AppState(appId, e.kind(), e.replicas(), e.vm(), e.distinctHosts(), Set.of(e.service()),
          Set.of(), Map.of(), e.meta(), PlacementRules.orNone(e.rules()));
    } else if (event instanceof AppEvent.AppJoinedService e) {
      Set<String> s = new TreeSet<>(services);
      s.add(e.service());
      return new AppState(appId, kind, replicas, vm, distinctHosts || e.distinctHosts(), s, wantedBy, vms, created,
          rules.merge(e.rules()));
    } else if (event instanceof AppEvent.AppStartRequested e) {
      Set<String> w = new LinkedHashSet<>(wantedBy);
      w.add(e.by());
      return new AppState(appId, kind, replicas, vm, distinctHosts, services, w, vms, created, rules);
    } else if (event instanceof AppEvent.AppStopRequested e) {
      Set<String> w = new LinkedHashSet<>(wantedBy);
      w.remove(e.by());
      return new AppState(appId, kind, replicas, vm, distinctHosts, services, w, vms, created, rules);
    } else if (event instanceof AppEvent.AppScaled e) {
      return new AppState(appId, kind, e.to(), vm, distinctHosts, services, wantedBy, vms, created, rules);
    } else if (event instanceof AppEvent.AppReplicaChanged e) {
      Map<String, Replica> v = new LinkedHashMap<>(vms);
      v.put(e.vmId(), new Replica(e.vmId(), e.phase(), e.hostId()));
      return new AppState(appId, kind, replicas, vm, distinctHosts, services, wantedBy, v, created, rules);
    }
    throw new IllegalStateException("unknown app event " + event);
  }
}
