package io.actorvmm.runtime.vm;

import io.actorvmm.runtime.CborSerializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * The placement rules a VM carries besides its anti-affinity: the applications it must join when
 * any host runs one (affinity), the most VMs of its application one host may hold (0: no limit),
 * and the placement policy of its service (null: the cluster default).
 */
public record PlacementRules(Set<String> affinityApps, int maxPerHost, String policy) implements CborSerializable {

  /** No rules. */
  public static final PlacementRules NONE = new PlacementRules(Set.of(), 0, null);

  /** Copies the set so the record stays immutable. */
  public PlacementRules {
    affinityApps = affinityApps == null ? Set.of() : Set.copyOf(affinityApps);
    maxPerHost = Math.max(0, maxPerHost);
    policy = policy == null || policy.isBlank() ? null : policy;
  }

  /** {@code r}, or no rules for null. */
  public static PlacementRules orNone(PlacementRules r) {
    return r == null ? NONE : r;
  }

  /** The rules of an application in two services: both affinities, the stricter limit, this policy unless it has none. */
  public PlacementRules merge(PlacementRules other) {
    if (other == null) return this;
    Set<String> apps = new TreeSet<>(affinityApps);
    apps.addAll(other.affinityApps());
    int max = maxPerHost == 0 ? other.maxPerHost() : other.maxPerHost() == 0 ? maxPerHost
        : Math.min(maxPerHost, other.maxPerHost());
    return new PlacementRules(apps, max, policy != null ? policy : other.policy());
  }
}
