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
  record Case(String name, Map<String, Integer> onHost, String app, Set<String> distinct, String reason, String shortReason) {}

  /** The app counts of the given VMs' apps ("" for a VM without an app). */
  private static Map<String, Integer> vms(String... vmApp) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < vmApp.length; i += 2) m.merge(vmApp[i + 1], 1, Integer::sum);
    return m;
  }

  private static final List<Case> CASES = List.of(
      new Case("empty host", vms(), "web", Set.of("web"), null, null),
      new Case("no anti-affinity", vms("web-1", "web"), "web", Set.of(), null, null),
      new Case("other app only", vms("db-1", "db"), "web", Set.of("web"), null, null),
      new Case("vm without app", vms("x", ""), "web", Set.of("web"), null, null),
      new Case("replica already there", vms("db-1", "db", "web-1", "web"), "web", Set.of("web"),
          "broke anti-affinity of web (1 replica there)", "broke anti-affinity of web"),
      new Case("other listed app", vms("db-1", "db"), "web", Set.of("web", "db"),
          "broke anti-affinity of db (1 replica there)", "broke anti-affinity of db"),
      new Case("two replicas there", vms("web-2", "web", "web-1", "web"), "web", Set.of("web"),
          "broke anti-affinity of web (2 replicas there)", "broke anti-affinity of web"),
      new Case("several clashing apps name the smallest", vms("web-1", "web", "db-1", "db"), "web", Set.of("web", "db"),
          "broke anti-affinity of db (1 replica there)", "broke anti-affinity of db"));

  @Test
  void rejectsHostsHoldingAVmOfADistinctApp() {
    for (Case c : CASES) {
      HostCandidate h = new HostCandidate(host("h1").spec(), HostStatus.UP, Resources.ZERO, c.onHost(), c.onHost().values().stream().mapToInt(Integer::intValue).sum());
      PlacementRequest r = new PlacementRequest("vm-1", vm(1, 512), c.app(), c.distinct());
      assertEquals(c.reason(), filter.reject(r, h), c.name());
      assertEquals(c.shortReason(), filter.shortReason(r, h), c.name());
    }
  }
}
