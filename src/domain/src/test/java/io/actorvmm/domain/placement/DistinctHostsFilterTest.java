package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistinctHostsFilterTest {
  private final DistinctHostsFilter filter = new DistinctHostsFilter();

  /** One row: VMs on the host, the request's app and anti-affinity set, and the expected reasons. */
  record Case(String name, Map<String, String> onHost, String app, Set<String> distinct, String reason, String shortReason) {}

  private static Map<String, String> vms(String... vmApp) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < vmApp.length; i += 2) m.put(vmApp[i], vmApp[i + 1]);
    return m;
  }

  private static final List<Case> CASES = List.of(
      new Case("empty host", vms(), "web", Set.of("web"), null, null),
      new Case("no anti-affinity", vms("web-1", "web"), "web", Set.of(), null, null),
      new Case("other app only", vms("db-1", "db"), "web", Set.of("web"), null, null),
      new Case("vm without app", vms("x", ""), "web", Set.of("web"), null, null),
      new Case("replica already there", vms("db-1", "db", "web-1", "web"), "web", Set.of("web"),
          "broke anti-affinity of web (web-1 is there)", "broke anti-affinity of web"),
      new Case("other listed app", vms("db-1", "db"), "web", Set.of("web", "db"),
          "broke anti-affinity of db (db-1 is there)", "broke anti-affinity of db"),
      new Case("several clashes name the smallest vm id", vms("web-2", "web", "web-1", "web"), "web", Set.of("web"),
          "broke anti-affinity of web (web-1 is there)", "broke anti-affinity of web"),
      new Case("the vm itself does not clash", vms("vm-1", "web"), "web", Set.of("web"), null, null));

  @Test
  void rejectsHostsHoldingAVmOfADistinctApp() {
    for (Case c : CASES) {
      HostCandidate h = new HostCandidate(host("h1").spec(), HostStatus.UP, Resources.ZERO, c.onHost());
      PlacementRequest r = new PlacementRequest("vm-1", vm(1, 512), c.app(), c.distinct());
      assertEquals(c.reason(), filter.reject(r, h), c.name());
      assertEquals(c.shortReason(), filter.shortReason(r, h), c.name());
    }
  }
}
