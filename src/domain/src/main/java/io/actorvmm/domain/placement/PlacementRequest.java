package io.actorvmm.domain.placement;

import io.actorvmm.domain.VmSpec;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A VM to place: its id, spec, its app (may be null), the apps whose VMs must not share its host
 * (anti-affinity), the apps it must join when any host runs one (affinity), the most VMs of its app
 * one host may hold (0: no limit), and how much it is expected to use (for the cost scorer).
 */
public record PlacementRequest(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps,
                               Set<String> affinityApps, int maxPerHost, ExpectedUse expectedUse) {

  /** Copies the app sets so the record stays immutable; nulls mean no rule and the default expected use. */
  public PlacementRequest {
    // Set.copyOf refuses nulls, and a null app id could never match a VM's app anyway
    distinctFromApps = clean(distinctFromApps);
    affinityApps = clean(affinityApps);
    maxPerHost = Math.max(0, maxPerHost);
    expectedUse = expectedUse == null ? ExpectedUse.DEFAULT : expectedUse;
  }

  /** A request with anti-affinity only: no affinity, no per-host limit, the default expected use. */
  public PlacementRequest(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps) {
    this(vmId, spec, appId, distinctFromApps, Set.of(), 0, ExpectedUse.DEFAULT);
  }

  /** This request keeping its VM with a VM of one of {@code apps} when any host runs one. */
  public PlacementRequest withAffinity(Set<String> apps) {
    return new PlacementRequest(vmId, spec, appId, distinctFromApps, apps, maxPerHost, expectedUse);
  }

  /** This request allowing at most {@code n} VMs of its app on one host (0: no limit). */
  public PlacementRequest withMaxPerHost(int n) {
    return new PlacementRequest(vmId, spec, appId, distinctFromApps, affinityApps, n, expectedUse);
  }

  /** This request with another expected use. */
  public PlacementRequest withExpectedUse(ExpectedUse use) {
    return new PlacementRequest(vmId, spec, appId, distinctFromApps, affinityApps, maxPerHost, use);
  }

  private static Set<String> clean(Set<String> apps) {
    if (apps == null || apps.isEmpty()) return Set.of();
    return apps.stream().filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());
  }
}
