package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AffinityFilterTest {
  private final AffinityFilter filter = new AffinityFilter();

  /** One row: app counts on the host, the request's affinity set, whether any host in the cluster runs one, the expected reasons. */
  record Case(String name, Map<String, Integer> onHost, Set<String> affinity, boolean runningSomewhere, String reason,
              String shortReason) {}

  private static final List<Case> CASES = List.of(
      new Case("no affinity", Map.of(), Set.of(), true, null, null),
      new Case("none of the apps runs anywhere yet", Map.of(), Set.of("db"), false, null, null),
      new Case("host runs the app", Map.of("db", 1), Set.of("db"), true, null, null),
      new Case("host runs one of several", Map.of("cache", 2), Set.of("db", "cache"), true, null, null),
      new Case("app runs elsewhere only", Map.of("web", 1), Set.of("db"), true,
          "broke affinity with db (runs none of them)", "broke affinity with db"),
      new Case("several apps run elsewhere, named sorted", Map.of(), Set.of("db", "cache"), true,
          "broke affinity with cache/db (runs none of them)", "broke affinity with cache/db"));

  @Test
  void keepsTheVmWithItsAffinityApps() {
    for (Case c : CASES) {
      HostCandidate h = new HostCandidate(host("h1").spec(), HostStatus.UP, Resources.ZERO, c.onHost(), c.onHost().size());
      PlacementRequest r = request(vm(1, 512)).withAffinity(c.affinity());
      PlacementContext ctx = PlacementContext.of(r, c.runningSomewhere());
      assertEquals(c.reason(), filter.reject(ctx, h), c.name());
      assertEquals(c.shortReason(), filter.shortReason(ctx, h), c.name());
      assertEquals(c.reason() == null, filter.passes(ctx, h), c.name());
    }
  }

  @Test
  void theEngineFindsWhetherAnyHostRunsAnAffinityApp() {
    HostCandidate db = new HostCandidate(host("a-db").spec(), HostStatus.DOWN, Resources.ZERO, Map.of("db", 1), 1);
    HostCandidate empty = host("b-empty");
    PlacementRequest r = request(vm(1, 512)).withAffinity(Set.of("db"));
    // the only host running db is down: the rule still binds, so nothing fits
    assertEquals(null, PlacementEngine.standard().decide(r, List.of(db, empty)).chosenHost());
    assertEquals("b-empty", PlacementEngine.standard().decide(r, List.of(empty)).chosenHost());
    // judged alone, a host that does not run the app is the whole cluster: nothing binds
    assertEquals(null, filter.reject(r, empty));
    assertEquals(true, PlacementContext.of(r, List.of(db, empty)).affinityRunning());
  }
}
