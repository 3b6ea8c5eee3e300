package io.actorvmm.domain.placement;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.HashMap;
import java.util.Map;

/**
 * A host as placement sees it: its spec, status, the resources reserved on it, how many VMs it holds,
 * and how many of them belong to each application. Placement never needs the individual VMs, so a
 * host's view stays small (one entry per application) however many VMs it runs.
 */
public record HostCandidate(HostSpec spec, HostStatus status, Resources used, Map<String, Integer> apps, int vms) {

  /** Copies the application counts so the record stays immutable; blank apps and zero counts are dropped. */
  public HostCandidate {
    used = used == null ? Resources.ZERO : used;
    if (apps == null || apps.isEmpty()) {
      apps = AppCounts.EMPTY;
    } else if (!(apps instanceof AppCounts)) {
      Map<String, Integer> copy = new HashMap<>();
      apps.forEach((app, n) -> {
        if (app != null && !app.isEmpty() && n != null && n > 0) copy.put(app, n);
      });
      // an immutable map tuned for the placement hot loop, equal to any map with the same counts
      apps = copy.isEmpty() ? AppCounts.EMPTY : new AppCounts(copy);
    }
    vms = Math.max(vms, 0);
  }

  /** An empty host. */
  public static HostCandidate empty(HostSpec spec, HostStatus status) {
    return new HostCandidate(spec, status, Resources.ZERO, Map.of(), 0);
  }

  /** The host's id. */
  public String hostId() {
    return spec.hostId();
  }

  /** What is left on the host: its capacity minus what is reserved. */
  public Resources free() {
    Resources capacity = spec.capacity() == null ? Resources.ZERO : spec.capacity();
    return capacity.minus(used);
  }

  /** How many VMs of {@code app} the host holds. */
  public int replicas(String app) {
    return ((AppCounts) apps).count(app);
  }

  /** True when the host holds a VM of {@code app}. */
  public boolean runs(String app) {
    return replicas(app) > 0;
  }

  /** This host with another status. */
  public HostCandidate withStatus(HostStatus s) {
    return new HostCandidate(spec, s, used, apps, vms);
  }

  /** This host with one more VM of {@code app} (null or "" for none) holding {@code demand}. */
  public HostCandidate plus(String app, Resources demand) {
    Map<String, Integer> next = new HashMap<>(apps);
    if (app != null && !app.isEmpty()) next.merge(app, 1, Integer::sum);
    return new HostCandidate(spec, status, used.plus(demand), next, vms + 1);
  }

  /** This host without one VM of {@code app} holding {@code demand}. */
  public HostCandidate minus(String app, Resources demand) {
    Map<String, Integer> next = new HashMap<>(apps);
    if (app != null && !app.isEmpty()) next.computeIfPresent(app, (a, n) -> n <= 1 ? null : n - 1);
    return new HostCandidate(spec, status, used.minus(demand), next, vms - 1);
  }
}
