package io.actorvmm.domain.service;

import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.PlacementPolicy;
import io.actorvmm.domain.placement.PlacementRequest;
import java.util.Set;

/** Turns a service's rules into what the placement engine needs for one replica of one of its applications. */
public final class ServicePlacement {

  private ServicePlacement() {}

  /** The request for VM {@code vmId} of {@code app} in {@code service}: anti-affinity, affinity and max per host from its rules. */
  public static PlacementRequest request(String vmId, VmSpec vm, String app, ServiceSpec service) {
    ServiceRules rules = service == null ? ServiceRules.NONE : service.rules();
    Set<String> distinct = app != null && rules.distinct(app) ? Set.of(app) : Set.of();
    Set<String> affinity = app == null ? Set.of() : rules.affinityOf(app);
    int max = app == null ? 0 : rules.maxPerHostOf(app);
    return new PlacementRequest(vmId, vm, app, distinct, affinity, max, null);
  }

  /** The policy {@code service} places by: its own, or the cluster default. */
  public static PlacementPolicy policy(ServiceSpec service, PlacementPolicy clusterDefault) {
    return service == null ? clusterDefault : service.rules().policy(clusterDefault);
  }
}
