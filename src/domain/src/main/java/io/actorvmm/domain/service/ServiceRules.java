package io.actorvmm.domain.service;

import io.actorvmm.domain.placement.PlacementPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's rules as data: the applications whose replicas must each run on a different host
 * ({@code distinctHosts}), groups of applications kept on the same hosts ({@code affinity}: a VM of
 * one goes to a host already running another of its group, when any host runs one), the most VMs of
 * an application on one host ({@code maxPerHost}), how many replicas of an application may be down on
 * purpose at once during a move or drain ({@code maxUnavailable}, default 1), the placement policy
 * text (null: the cluster default), and autoscaling rules. Every field may be left out of a request.
 */
public record ServiceRules(List<String> distinctHosts, List<List<String>> affinity, Map<String, Integer> maxPerHost,
                           Integer maxUnavailable, String placementPolicy, List<AutoscaleRule> autoscale) {

  /** The default of {@link #maxUnavailable()}. */
  public static final int DEFAULT_MAX_UNAVAILABLE = 1;

  /** No rules. */
  public static final ServiceRules NONE = new ServiceRules(List.of());

  /** Copies the collections so the record stays immutable and fills defaults for omitted fields. */
  public ServiceRules {
    distinctHosts = distinctHosts == null ? List.of() : List.copyOf(distinctHosts);
    List<List<String>> groups = new ArrayList<>();
    if (affinity != null) {
      for (List<String> g : affinity) groups.add(g == null ? List.of() : List.copyOf(g));
    }
    affinity = List.copyOf(groups);
    // keeps the order the user wrote, for messages; a null count is left for validation to report
    maxPerHost = maxPerHost == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(maxPerHost));
    maxUnavailable = maxUnavailable == null ? DEFAULT_MAX_UNAVAILABLE : maxUnavailable;
    placementPolicy = placementPolicy == null || placementPolicy.isBlank() ? null : placementPolicy.trim();
    autoscale = autoscale == null ? List.of() : List.copyOf(autoscale);
  }

  /** Only distinct-hosts rules; every other rule at its default. */
  public ServiceRules(List<String> distinctHosts) {
    this(distinctHosts, List.of(), Map.of(), DEFAULT_MAX_UNAVAILABLE, null, List.of());
  }

  /** True when replicas of {@code app} must run on different hosts. */
  public boolean distinct(String app) {
    return distinctHosts.contains(app);
  }

  /** The other applications {@code app} is kept together with (the union of its affinity groups). */
  public Set<String> affinityOf(String app) {
    Set<String> out = new TreeSet<>();
    for (List<String> g : affinity) {
      if (g.contains(app)) g.stream().filter(a -> a != null && !a.equals(app)).forEach(out::add);
    }
    return out;
  }

  /** The most VMs of {@code app} on one host, 0 for no limit. */
  public int maxPerHostOf(String app) {
    Integer n = maxPerHost.get(app);
    return n == null ? 0 : Math.max(0, n);
  }

  /** The autoscaling rule of {@code app}, or null. */
  public AutoscaleRule autoscaleOf(String app) {
    return autoscale.stream().filter(r -> r != null && app.equals(r.app())).findFirst().orElse(null);
  }

  /** The service's placement policy, or {@code clusterDefault} when it names none; bad text throws (validation rejects it first). */
  public PlacementPolicy policy(PlacementPolicy clusterDefault) {
    return PlacementPolicy.parse(placementPolicy, clusterDefault);
  }

  /** These rules with another placement policy text. */
  public ServiceRules withPlacementPolicy(String policy) {
    return new ServiceRules(distinctHosts, affinity, maxPerHost, maxUnavailable, policy, autoscale);
  }

  /** These rules with replicas of {@code app} also on distinct hosts. */
  public ServiceRules withDistinct(String app) {
    List<String> d = new ArrayList<>(distinctHosts);
    if (!d.contains(app)) d.add(app);
    return new ServiceRules(d, affinity, maxPerHost, maxUnavailable, placementPolicy, autoscale);
  }

  /** These rules with at most {@code n} VMs of {@code app} per host. */
  public ServiceRules withMaxPerHost(String app, int n) {
    Map<String, Integer> m = new LinkedHashMap<>(maxPerHost);
    m.put(app, n);
    return new ServiceRules(distinctHosts, affinity, m, maxUnavailable, placementPolicy, autoscale);
  }

  /** These rules with an affinity group added. */
  public ServiceRules withAffinity(List<String> group) {
    List<List<String>> a = new ArrayList<>(affinity);
    a.add(group);
    return new ServiceRules(distinctHosts, a, maxPerHost, maxUnavailable, placementPolicy, autoscale);
  }

  /** These rules with another max-unavailable count. */
  public ServiceRules withMaxUnavailable(int n) {
    return new ServiceRules(distinctHosts, affinity, maxPerHost, n, placementPolicy, autoscale);
  }

  /** These rules with an autoscaling rule added. */
  public ServiceRules withAutoscale(AutoscaleRule rule) {
    List<AutoscaleRule> a = new ArrayList<>(autoscale);
    a.add(rule);
    return new ServiceRules(distinctHosts, affinity, maxPerHost, maxUnavailable, placementPolicy, a);
  }
}
