package io.actorvmm.domain.service;

import static io.actorvmm.domain.service.Availability.*;
import static io.actorvmm.domain.service.Services.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvailabilityRuleTest {

  /** One row: a service, its running replicas, whether it is stopped, and the expected health. */
  record Case(String name, ServiceSpec spec, Map<String, Integer> running, boolean stopped, ServiceHealth expected) {}

  private static ServiceSpec fourApps() {
    return service("shop", app("web", 2), app("db"), app("payment", "db"), app("cache"));
  }

  private static final List<Case> CASES = List.of(
      new Case("stopped wins over anything running", fourApps(), Map.of("web", 2, "db", 1, "payment", 1, "cache", 1),
          true, new ServiceHealth(STOPPED, "service is stopped")),
      new Case("all up", fourApps(), Map.of("web", 2, "db", 1, "payment", 1, "cache", 1), false,
          new ServiceHealth(AVAILABLE, "all 4 applications are up")),
      new Case("more than asked is still up", fourApps(), Map.of("web", 3, "db", 1, "payment", 2, "cache", 1), false,
          new ServiceHealth(AVAILABLE, "all 4 applications are up")),
      new Case("one app down", fourApps(), Map.of("web", 2, "db", 1, "payment", 0, "cache", 1), false,
          new ServiceHealth(UNAVAILABLE, "payment is down (0 of 1 running)")),
      new Case("missing from the map counts as down", fourApps(), Map.of("web", 2, "db", 1, "cache", 1), false,
          new ServiceHealth(UNAVAILABLE, "payment is down (0 of 1 running)")),
      new Case("several down, by name", fourApps(), Map.of("web", 1, "cache", 1), false,
          new ServiceHealth(UNAVAILABLE, "db, payment are down")),
      new Case("down beats degraded", fourApps(), Map.of("web", 1, "db", 1, "cache", 1), false,
          new ServiceHealth(UNAVAILABLE, "payment is down (0 of 1 running)")),
      new Case("degraded", fourApps(), Map.of("web", 1, "db", 1, "payment", 1, "cache", 1), false,
          new ServiceHealth(DEGRADED, "web has 1 of 2 replicas running")),
      new Case("several degraded", service("s", app("web", 2), app("api", 3)), Map.of("web", 1, "api", 2), false,
          new ServiceHealth(DEGRADED, "api has 2 of 3 replicas running, web has 1 of 2 replicas running")),
      new Case("nothing running at all", service("s", app("web", 2), app("db")), Map.of(), false,
          new ServiceHealth(UNAVAILABLE, "db, web are down")),
      new Case("null map is nothing running", service("s", app("web", 2)), null, false,
          new ServiceHealth(UNAVAILABLE, "web is down (0 of 2 running)")),
      new Case("one app", service("s", app("web")), Map.of("web", 1), false,
          new ServiceHealth(AVAILABLE, "its 1 application is up")),
      new Case("no apps", service("s"), Map.of(), false, new ServiceHealth(UNAVAILABLE, "service has no applications")));

  @Test
  void availabilityFollowsRunningReplicas() {
    for (Case c : CASES) {
      assertEquals(c.expected(), AvailabilityRule.compute(c.spec(), c.running(), c.stopped()), c.name());
    }
  }

  @Test
  void anAppSharedByTwoServicesTakesBothDown() {
    // Fig. 2 of the patent: app1 belongs to S1 and S2
    ServiceSpec s1 = service("s1", app("app1"), app("app2"));
    ServiceSpec s2 = service("s2", app("app1"), app("app3"), app("app4"));
    Map<String, Integer> allUp = Map.of("app1", 1, "app2", 1, "app3", 1, "app4", 1);
    assertEquals(AVAILABLE, AvailabilityRule.compute(s1, allUp, false).availability());
    assertEquals(AVAILABLE, AvailabilityRule.compute(s2, allUp, false).availability());

    Map<String, Integer> app1Down = Map.of("app1", 0, "app2", 1, "app3", 1, "app4", 1);
    ServiceHealth expected = new ServiceHealth(UNAVAILABLE, "app1 is down (0 of 1 running)");
    assertEquals(expected, AvailabilityRule.compute(s1, app1Down, false));
    assertEquals(expected, AvailabilityRule.compute(s2, app1Down, false));

    // app3 down only touches the service it belongs to
    Map<String, Integer> app3Down = Map.of("app1", 1, "app2", 1, "app3", 0, "app4", 1);
    assertEquals(AVAILABLE, AvailabilityRule.compute(s1, app3Down, false).availability());
    assertEquals(UNAVAILABLE, AvailabilityRule.compute(s2, app3Down, false).availability());
  }

  @Test
  void labelsAreLowerCase() {
    assertEquals(List.of("available", "degraded", "unavailable", "stopped"),
        List.of(AVAILABLE.label(), DEGRADED.label(), UNAVAILABLE.label(), STOPPED.label()));
  }
}
