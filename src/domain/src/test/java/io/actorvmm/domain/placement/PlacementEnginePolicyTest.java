package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.placement.HostVerdict.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementEnginePolicyTest {
  private static final Resources CAP = new Resources(8, 8192, 100, 1000);
  private final PlacementEngine engine = PlacementEngine.standard();

  private static HostCandidate priced(String id, int usedCpu, double perCpuSecond) {
    return new HostCandidate(new HostSpec(id, CAP, List.of("qemu"), "local", 1, new CostRates(perCpuSecond, 0, 0)),
        HostStatus.UP, new Resources(usedCpu, usedCpu * 1024L, 0, 0), Map.of(), 0);
  }

  private final List<HostCandidate> hosts = List.of(
      priced("busy-dear", 6, 0.001), priced("idle-cheap", 0, 0), priced("half", 4, 0.0001));

  @Test
  void thePolicyDecidesAmongHostsThatPassed() {
    PlacementRequest r = request(vm(1, 1024));
    assertEquals("busy-dear", engine.decide(r, hosts).chosenHost());
    assertEquals("busy-dear", engine.decide(r, hosts, PlacementPolicy.PACK).chosenHost());
    assertEquals("idle-cheap", engine.decide(r, hosts, PlacementPolicy.SPREAD).chosenHost());
    assertEquals("idle-cheap", engine.decide(r, hosts, PlacementPolicy.COST).chosenHost());
    // pack alone prefers busy-dear (87.5) to half (62.5); cost weighs heavier and busy-dear costs 3.6/h
    assertEquals("half", engine.decide(r, hosts, PlacementPolicy.parse("pack:1,cost:1")).chosenHost());
    assertEquals("busy-dear", PlacementEngine.standard(PlacementPolicy.PACK).decide(r, hosts, null).chosenHost());
  }

  @Test
  void passedHostsRecordTheTotalAndEachScorersScore() {
    PlacementDecision d = engine.decide(request(vm(1, 1024)), hosts, PlacementPolicy.parse("pack:1,cost:3"));
    HostVerdict chosen = d.verdicts().get(0);
    assertEquals(Outcome.CHOSEN, chosen.outcome());
    assertEquals(List.of("pack", "cost"), List.copyOf(chosen.scores().keySet()));
    for (HostVerdict v : d.verdicts()) {
      double total = (v.scores().get("pack") + 3 * v.scores().get("cost")) / 4;
      assertEquals(total, v.score(), 1e-9, v.hostId());
    }
  }

  @Test
  void rejectedHostsRecordTheFilterAndReasonAndTheSummaryCountsThem() {
    HostCandidate web = new HostCandidate(host("a-web").spec(), HostStatus.UP, Resources.ZERO, Map.of("web", 1), 1);
    HostCandidate other = host("b-other");
    PlacementRequest r = new PlacementRequest("vm-9", vm(1, 512), "web", Set.of("web")).withMaxPerHost(1);
    PlacementDecision d = engine.decide(r, List.of(web, other, withStatus(host("c-down"), HostStatus.DOWN)));
    assertEquals("placed on b-other: 3 hosts, 1 passed, 1 is down, 1 reached max per host of web", d.summary());
    assertEquals(new HostVerdict("a-web", Outcome.REJECTED, "max-per-host", "reached max per host of web (1 of 1 there)", 0),
        d.verdicts().get(1));
    assertEquals(new HostVerdict("c-down", Outcome.REJECTED, "status", "host is down", 0), d.verdicts().get(2));
  }

  @Test
  void largeClustersGiveTheSameDecisionInParallelChunks() {
    List<HostCandidate> many = new java.util.ArrayList<>();
    for (int i = 0; i < 9000; i++) {
      Map<String, Integer> apps = new HashMap<>();
      if (i % 3 == 0) apps.put("web", 1);
      many.add(new HostCandidate(spec(String.format("h%04d", i), CAP, List.of("qemu"), i % 3),
          i % 50 == 0 ? HostStatus.DOWN : HostStatus.UP, new Resources(i % 9, (i % 7) * 1024L, 0, 0), apps, apps.size()));
    }
    PlacementRequest r = new PlacementRequest("vm-1", vm(2, 2048, 10, 100, "qemu", 1), "web", Set.of("web"));
    PlacementDecision serial = engine.withParallelMinHosts(Integer.MAX_VALUE).decide(r, many);
    PlacementDecision parallel = engine.withParallelMinHosts(1).decide(r, many);
    assertEquals(serial, parallel);
    assertEquals(9000, parallel.verdicts().size());
    assertNotEquals(null, parallel.chosenHost());
  }

  @Test
  void anEngineSeesEveryChangeBetweenDecisions() {
    List<HostCandidate> view = new java.util.ArrayList<>(List.of(host("a"), host("b"), host("c")));
    PlacementRequest r = request(vm(8, 1024));
    assertEquals("a", engine.decide(r, view).chosenHost());
    // a fills up: the same engine must read the new view object, not its columns of the last decision
    view.set(0, view.get(0).plus("web", new Resources(8, 0, 0, 0)));
    assertEquals("b", engine.decide(r, view).chosenHost());
    java.util.Collections.reverse(view);
    assertEquals("b", engine.decide(r, view).chosenHost());
    view.remove(1);
    assertEquals("c", engine.decide(r, view).chosenHost());
    assertEquals("placed on c: 2 hosts, 1 passed, 1 lacked cpu", engine.decide(r, view).summary());
  }

  @Test
  void aDecisionCanKeepOnlyItsFirstVerdicts() {
    PlacementDecision d = engine.decide(request(vm(1, 1024)), hosts, PlacementPolicy.SPREAD);
    PlacementDecision kept = d.withVerdictLimit(2);
    assertEquals(d.summary(), kept.summary());
    assertEquals(d.chosenHost(), kept.chosenHost());
    assertEquals(d.verdicts().subList(0, 2), kept.verdicts());
    assertEquals(d, d.withVerdictLimit(3));
    assertEquals(List.of(), d.withVerdictLimit(0).verdicts());
  }

  @Test
  void hostViewsCompareByTheirAppCounts() {
    HostCandidate h = new HostCandidate(host("h").spec(), HostStatus.UP, Resources.ZERO, Map.of("a", 2, "b", 1), 3);
    assertEquals(Map.of("a", 2, "b", 1), h.apps());
    assertEquals(new HashMap<>(Map.of("a", 2, "b", 1)).hashCode(), h.apps().hashCode());
    assertEquals(2, h.replicas("a"));
    assertEquals(0, h.replicas("c"));
    assertEquals(h.minus("b", Resources.ZERO).apps(), Map.of("a", 2));
    assertEquals(h, new HostCandidate(h.spec(), HostStatus.UP, Resources.ZERO, new HashMap<>(Map.of("b", 1, "a", 2)), 3));
  }

  private static HostCandidate withStatus(HostCandidate h, HostStatus s) {
    return h.withStatus(s);
  }
}
