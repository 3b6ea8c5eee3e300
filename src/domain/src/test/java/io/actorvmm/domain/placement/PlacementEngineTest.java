package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.placement.HostVerdict.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementEngineTest {
  private static final Resources CAP = new Resources(8, 8192, 100, 1000);
  private final PlacementEngine engine = PlacementEngine.standard();

  private static HostCandidate used(String id, int cpu, long mem) {
    return host(id, CAP, new Resources(cpu, mem, 0, 0));
  }

  private static HostCandidate withStatus(String id, HostStatus status) {
    return new HostCandidate(spec(id, CAP, List.of("qemu"), 1), status, Resources.ZERO, Map.of(), 0);
  }

  private static HostCandidate withVms(String id, Map<String, String> vmApps) {
    Map<String, Integer> apps = new java.util.HashMap<>();
    vmApps.values().forEach(a -> apps.merge(a == null ? "" : a, 1, Integer::sum));
    return new HostCandidate(spec(id, CAP, List.of("qemu"), 1), HostStatus.UP, Resources.ZERO, apps, vmApps.size());
  }

  private static List<String> ids(PlacementDecision d) {
    return d.verdicts().stream().map(HostVerdict::hostId).toList();
  }

  @Test
  void placedSummaryCountsPassedAndGroupsRejections() {
    PlacementDecision d = engine.decide(request(vm(1, 4096)),
        List.of(used("h1", 0, 7168), used("h2", 0, 0), used("h3", 0, 6000)));
    assertTrue(d.placed());
    assertEquals("h2", d.chosenHost());
    assertEquals("vm-1", d.vmId());
    assertEquals("placed on h2: 3 hosts, 1 passed, 2 lacked memory", d.summary());
  }

  @Test
  void unplacedSummaryGroupsByShortReasonCountFirst() {
    PlacementRequest r = new PlacementRequest("web-2", vm(1, 4096), "web", Set.of("web"));
    PlacementDecision d = engine.decide(r,
        List.of(used("h1", 0, 7168), used("h2", 0, 6000), withVms("h3", Map.of("web-1", "web"))));
    assertFalse(d.placed());
    assertNull(d.chosenHost());
    assertEquals("no host fits: 3 hosts, 2 lacked memory, 1 broke anti-affinity of web", d.summary());
  }

  @Test
  void equalCountsAreSortedByText() {
    PlacementDecision d = engine.decide(request(vm(4, 512)), List.of(
        withStatus("a", HostStatus.DOWN), used("b", 6, 0), used("c", 8, 0),
        new HostCandidate(spec("d", CAP, List.of("lxc"), 1), HostStatus.UP, Resources.ZERO, Map.of(), 0),
        withStatus("e", HostStatus.MAINTENANCE)));
    assertEquals("no host fits: 5 hosts, 2 lacked cpu, 1 does not offer runtime qemu, 1 is down, 1 is in maintenance",
        d.summary());
  }

  @Test
  void groupsOfSeveralHostsReadInThePlural() {
    PlacementDecision d = engine.decide(request(vm(4, 512)), List.of(
        withStatus("a", HostStatus.DOWN), withStatus("b", HostStatus.DOWN),
        new HostCandidate(spec("c", CAP, List.of("lxc"), 1), HostStatus.UP, Resources.ZERO, Map.of(), 0),
        new HostCandidate(spec("d", CAP, List.of("lxc"), 1), HostStatus.UP, Resources.ZERO, Map.of(), 0),
        withStatus("e", HostStatus.MAINTENANCE), withStatus("f", HostStatus.MAINTENANCE)));
    assertEquals("no host fits: 6 hosts, 2 do not offer runtime qemu, 2 are down, 2 are in maintenance", d.summary());
  }

  @Test
  void noHostsAreRegistered() {
    PlacementDecision d = engine.decide(request(vm(1, 512)), List.of());
    assertFalse(d.placed());
    assertEquals("no host fits: no hosts are registered", d.summary());
    assertTrue(d.verdicts().isEmpty());
  }

  @Test
  void oneHostIsSingular() {
    assertEquals("placed on h1: 1 host, 1 passed", engine.decide(request(vm(1, 512)), List.of(host("h1"))).summary());
  }

  @Test
  void packsOntoTheFullestHostThatFits() {
    PlacementDecision d = engine.decide(request(vm(2, 2048)),
        List.of(used("empty", 0, 0), used("half", 4, 4096), used("full", 8, 8192)));
    assertEquals("half", d.chosenHost());
    assertEquals(List.of("half", "empty", "full"), ids(d));
    assertEquals(75.0, d.verdicts().get(0).score(), 1e-9);
    assertEquals(25.0, d.verdicts().get(1).score(), 1e-9);
  }

  @Test
  void tiesGoToTheSmallestHostIdWhateverTheInputOrder() {
    List<HostCandidate> hosts = new ArrayList<>(List.of(host("c"), host("a"), host("b"), used("z", 8, 0)));
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      Collections.shuffle(hosts, random);
      PlacementDecision d = engine.decide(request(vm(1, 1024)), hosts);
      assertEquals("a", d.chosenHost());
      assertEquals(List.of("a", "b", "c", "z"), ids(d));
      assertEquals(List.of(Outcome.CHOSEN, Outcome.PASSED, Outcome.PASSED, Outcome.REJECTED),
          d.verdicts().stream().map(HostVerdict::outcome).toList());
    }
  }

  @Test
  void everyHostGetsOneVerdictWithTheFirstRejectingFilter() {
    // "down" is also too small and lacks the runtime: the status filter runs first and is the one recorded
    HostCandidate downAndSmall = new HostCandidate(spec("down", new Resources(1, 256, 1, 1), List.of("lxc"), 0),
        HostStatus.DOWN, Resources.ZERO, Map.of(), 0);
    HostCandidate insecure = new HostCandidate(spec("insecure", new Resources(1, 256, 1, 1), List.of("qemu"), 0),
        HostStatus.UP, Resources.ZERO, Map.of(), 0);
    PlacementRequest r = new PlacementRequest("web-2", vm(2, 2048, 10, 100, "qemu", 1), "web", Set.of("web"));
    PlacementDecision d = engine.decide(r, List.of(
        withVms("taken", Map.of("web-1", "web")), downAndSmall, used("small", 0, 8000), insecure,
        used("roomy", 0, 0), used("busy", 4, 4096)));

    assertEquals(List.of(
        new HostVerdict("busy", Outcome.CHOSEN, null, null, 75.0, Map.of("pack", 75.0)),
        new HostVerdict("roomy", Outcome.PASSED, null, null, 25.0, Map.of("pack", 25.0)),
        new HostVerdict("down", Outcome.REJECTED, "status", "host is down", 0),
        new HostVerdict("insecure", Outcome.REJECTED, "security", "security level 0 is below security level 1", 0),
        new HostVerdict("small", Outcome.REJECTED, "capacity", "lacked memory (needs 2048 MiB, 192 free)", 0),
        new HostVerdict("taken", Outcome.REJECTED, "distinct-hosts", "broke anti-affinity of web (1 replica there)", 0)),
        d.verdicts());
    assertEquals("placed on busy: 6 hosts, 2 passed, 1 below security level 1, 1 broke anti-affinity of web, "
        + "1 is down, 1 lacked memory", d.summary());
  }

  @Test
  void weightedScorersAreAveraged() {
    HostScorer prefersB = new HostScorer() {
      @Override public String name() { return "likes-b"; }
      @Override public double score(PlacementRequest r, HostCandidate h) { return h.hostId().equals("b") ? 100 : 0; }
    };
    List<HostCandidate> hosts = List.of(used("a", 6, 6144), used("b", 0, 0));
    PlacementRequest r = request(vm(2, 2048));
    // pack alone prefers a (100 vs 25)
    PlacementEngine packOnly = new PlacementEngine(List.of(new CapacityFilter()),
        List.of(new WeightedScorer(new PackScorer(), 1)));
    assertEquals("a", packOnly.decide(r, hosts).chosenHost());
    // with b's scorer weighing 3: a = (100*1 + 0*3)/4 = 25, b = (25*1 + 100*3)/4 = 81.25
    PlacementEngine weighted = new PlacementEngine(List.of(new CapacityFilter()),
        List.of(new WeightedScorer(new PackScorer(), 1), new WeightedScorer(prefersB, 3)));
    PlacementDecision d = weighted.decide(r, hosts);
    assertEquals("b", d.chosenHost());
    assertEquals(81.25, d.verdicts().get(0).score(), 1e-9);
    assertEquals(25.0, d.verdicts().get(1).score(), 1e-9);
  }

  @Test
  void requestAndCandidateCopyTheirCollections() {
    Map<String, Integer> apps = new java.util.HashMap<>(Map.of("web", 2, "", 1, "db", 0));
    java.util.Set<String> distinct = new java.util.HashSet<>(Set.of("web"));
    apps.put(null, 1);
    HostCandidate h = new HostCandidate(spec("h1", CAP, List.of("qemu"), 1), HostStatus.UP, Resources.ZERO, apps, 3);
    PlacementRequest r = new PlacementRequest("web-2", vm(1, 512), "web", distinct);
    apps.clear();
    distinct.clear();
    assertEquals(Map.of("web", 2), h.apps());
    assertEquals(3, h.vms());
    assertEquals(Set.of("web"), r.distinctFromApps());
    assertEquals(Set.of(), new PlacementRequest("v", vm(1, 1), null, null).distinctFromApps());
    assertEquals(new Resources(7, 7680, 90, 900), host("h", CAP, new Resources(1, 512, 10, 100)).free());
  }
}
