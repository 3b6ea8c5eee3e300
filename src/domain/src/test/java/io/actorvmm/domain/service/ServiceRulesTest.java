package io.actorvmm.domain.service;

import static io.actorvmm.domain.service.Services.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.actorvmm.domain.placement.PlacementPolicy;
import io.actorvmm.domain.placement.PlacementRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceRulesTest {

  @Test
  void omittedFieldsTakeTheirDefaults() {
    ServiceRules r = new ServiceRules(null, null, null, null, " ", null);
    assertEquals(List.of(), r.distinctHosts());
    assertEquals(List.of(), r.affinity());
    assertEquals(Map.of(), r.maxPerHost());
    assertEquals(1, r.maxUnavailable());
    assertNull(r.placementPolicy());
    assertEquals(List.of(), r.autoscale());
    assertEquals(r, ServiceRules.NONE);
    assertEquals(new ServiceRules(List.of("web")), new ServiceRules(List.of("web"), null, null, null, null, null));
    assertEquals(Duration.ofMinutes(5), new AutoscaleRule("web", 0.8, 0.2, null, 1, 3).window());
  }

  @Test
  void rulesAnswerPerApplication() {
    ServiceRules r = ServiceRules.NONE.withDistinct("web").withAffinity(List.of("web", "cache"))
        .withAffinity(List.of("cache", "db")).withMaxPerHost("cache", 2).withPlacementPolicy("spread")
        .withAutoscale(new AutoscaleRule("web", 0.8, 0.2, Duration.ofMinutes(1), 2, 6));
    assertEquals(Set.of("web", "db"), r.affinityOf("cache"));
    assertEquals(Set.of("cache"), r.affinityOf("web"));
    assertEquals(Set.of(), r.affinityOf("other"));
    assertEquals(2, r.maxPerHostOf("cache"));
    assertEquals(0, r.maxPerHostOf("web"));
    assertEquals(PlacementPolicy.SPREAD.name(), r.policy(PlacementPolicy.PACK).name());
    assertEquals(PlacementPolicy.COST, ServiceRules.NONE.policy(PlacementPolicy.COST));
    assertEquals(6, r.autoscaleOf("web").maxReplicas());
    assertNull(r.autoscaleOf("db"));
  }

  @Test
  void aReplicaRequestCarriesItsServicesRules() {
    ServiceSpec s = new ServiceSpec("shop", List.of(app("web", 2), app("cache"), app("db")),
        ServiceRules.NONE.withDistinct("web").withAffinity(List.of("web", "cache")).withMaxPerHost("cache", 3));
    PlacementRequest web = ServicePlacement.request("web-1", VM, "web", s);
    assertEquals(Set.of("web"), web.distinctFromApps());
    assertEquals(Set.of("cache"), web.affinityApps());
    assertEquals(0, web.maxPerHost());
    PlacementRequest cache = ServicePlacement.request("cache-1", VM, "cache", s);
    assertEquals(Set.of(), cache.distinctFromApps());
    assertEquals(Set.of("web"), cache.affinityApps());
    assertEquals(3, cache.maxPerHost());
    assertEquals(PlacementPolicy.PACK, ServicePlacement.policy(s, PlacementPolicy.PACK));
  }
}
