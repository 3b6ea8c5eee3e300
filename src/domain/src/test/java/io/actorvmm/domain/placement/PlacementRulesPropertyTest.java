package io.actorvmm.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.HostVerdict.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random clusters with site, affinity and max-per-host rules, checked against the rules written out directly. */
class PlacementRulesPropertyTest {
  private static final List<String> RUNTIMES = List.of("qemu", "kvm");
  private static final List<String> SITES = List.of(HostSpec.LOCAL_SITE, "east", "west");
  private static final List<String> APPS = List.of("web", "db", "cache", "queue");
  private static final List<PlacementPolicy> POLICIES = List.of(PlacementPolicy.PACK, PlacementPolicy.SPREAD,
      PlacementPolicy.COST, PlacementPolicy.parse("pack:1,cost:2"));
  private final PlacementEngine engine = PlacementEngine.standard();

  /** Every rule of the standard filters, stated without them; {@code cluster} is every host the decision saw. */
  static boolean eligible(PlacementRequest r, HostCandidate h, List<HostCandidate> cluster) {
    VmSpec vm = r.spec();
    HostSpec s = h.spec();
    Resources free = s.capacity().minus(h.used());
    boolean fits = free.cpuCores() >= vm.cpuCores() && free.memoryMiB() >= vm.memoryMiB()
        && free.storageGiB() >= vm.diskGiB() && free.networkMbit() >= vm.networkMbit();
    boolean site = (vm.relocatable() || vm.site() == null || vm.site().equals(s.site()))
        && (!vm.localSitesOnly() || s.site().equals(HostSpec.LOCAL_SITE));
    boolean apart = r.distinctFromApps().stream().noneMatch(a -> h.apps().containsKey(a));
    boolean underMax = r.maxPerHost() == 0 || r.appId() == null || h.apps().getOrDefault(r.appId(), 0) < r.maxPerHost();
    boolean anyPartner = cluster.stream().anyMatch(c -> r.affinityApps().stream().anyMatch(a -> c.apps().containsKey(a)));
    boolean together = !anyPartner || r.affinityApps().stream().anyMatch(a -> h.apps().containsKey(a));
    return h.status() == HostStatus.UP && s.runtimes().contains(vm.runtime()) && s.securityLevel() >= vm.securityLevel()
        && site && fits && apart && underMax && together;
  }

  @Test
  void decisionsFollowEveryRuleAndDoNotDependOnChunking() {
    PlacementEngine chunked = engine.withParallelMinHosts(2);
    PlacementEngine viewsOnly = engine.withoutColumns();
    int placed = 0;
    int cases = 3_000;
    for (int seed = 1; seed <= cases; seed++) {
      Random rnd = new Random(seed);
      List<HostCandidate> hosts = hosts(rnd, rnd.nextInt(9));
      PlacementRequest r = request(rnd, "new-vm");
      PlacementPolicy policy = POLICIES.get(rnd.nextInt(POLICIES.size()));
      PlacementDecision d = engine.decide(r, hosts, policy);
      String ctx = "seed " + seed + " " + r;
      assertEquals(hosts.stream().anyMatch(h -> eligible(r, h, hosts)), d.placed(), ctx);
      for (HostVerdict v : d.verdicts()) {
        HostCandidate h = hosts.stream().filter(x -> x.hostId().equals(v.hostId())).findFirst().orElseThrow();
        assertEquals(!eligible(r, h, hosts), v.outcome() == Outcome.REJECTED, ctx + " " + v);
        if (v.outcome() != Outcome.REJECTED) {
          assertEquals(policy.scorers().size(), v.scores().size(), ctx);
          assertTrue(d.verdicts().get(0).score() >= v.score(), ctx);
        }
      }
      if (d.placed()) placed++;
      // the same decision in parallel chunks: same host, same summary, same verdicts
      PlacementDecision p = chunked.decide(r, hosts, policy);
      assertEquals(d.chosenHost(), p.chosenHost(), ctx);
      assertEquals(d.summary(), p.summary(), ctx);
      assertEquals(d.verdicts(), p.verdicts(), ctx);
      // and judged through the host views only, without the engine's host columns
      PlacementDecision plain = viewsOnly.decide(r, hosts, policy);
      assertEquals(d.summary(), plain.summary(), ctx);
      assertEquals(d.verdicts(), plain.verdicts(), ctx);
    }
    assertTrue(placed > cases / 10 && placed < cases * 9 / 10, "placed " + placed + " of " + cases);
  }

  @Test
  void placingThousandsOfVmsOneByOneNeverOverCommitsOrBreaksARule() {
    Random rnd = new Random(99);
    List<HostCandidate> hosts = new ArrayList<>();
    // empty hosts, so every VM on them at the end was put there by the engine
    for (HostCandidate h : hosts(rnd, 60)) hosts.add(new HostCandidate(h.spec(), h.status(), Resources.ZERO, Map.of(), 0));
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < hosts.size(); i++) index.put(hosts.get(i).hostId(), i);
    // each app's rules stay the same for all its VMs, as a service's rules do
    Map<String, PlacementRequest> template = new HashMap<>();
    for (String app : APPS) {
      VmSpec vm = new VmSpec(1 + rnd.nextInt(2), 256L * (1 + rnd.nextInt(4)), rnd.nextInt(5), rnd.nextInt(20),
          RUNTIMES.get(rnd.nextInt(RUNTIMES.size())), "img", true, 0).withSite(null, app.equals("queue"));
      Set<String> distinct = app.equals("web") || app.equals("db") ? Set.of(app) : Set.of();
      Set<String> affinity = app.equals("cache") ? Set.of("web") : Set.of();
      template.put(app, new PlacementRequest("t", vm, app, distinct, affinity, 2 + rnd.nextInt(3), null));
    }
    PlacementEngine chunked = engine.withParallelMinHosts(8);
    int placed = 0;
    for (int i = 0; i < 5_000; i++) {
      String app = APPS.get(rnd.nextInt(APPS.size()));
      PlacementRequest t = template.get(app);
      PlacementRequest r = new PlacementRequest("vm-" + i, t.spec(), app, t.distinctFromApps(), t.affinityApps(),
          t.maxPerHost(), null);
      PlacementDecision d = (i % 3 == 0 ? engine : i % 3 == 1 ? chunked : engine.withoutColumns())
          .decide(r, hosts, POLICIES.get(i % POLICIES.size()));
      if (!d.placed()) continue;
      int h = index.get(d.chosenHost());
      assertTrue(eligible(r, hosts.get(h), hosts), "vm-" + i);
      hosts.set(h, hosts.get(h).plus(app, r.spec().demand()));
      placed++;
    }
    // the rules bound how many fit (distinct web and db, max per host), so the cluster fills up long before 5,000
    assertTrue(placed > 100, "placed " + placed);
    for (HostCandidate h : hosts) {
      Resources free = h.free();
      assertTrue(h.vms() == 0 || h.status() == HostStatus.UP, h.hostId());
      // hosts start below capacity; whatever was placed on them must keep every resource at or above zero
      assertFalse(free.cpuCores() < 0 || free.memoryMiB() < 0 || free.storageGiB() < 0 || free.networkMbit() < 0,
          h.hostId() + " over-committed: " + free);
      for (String app : APPS) {
        PlacementRequest t = template.get(app);
        int n = h.replicas(app);
        assertTrue(n <= t.maxPerHost(), h.hostId() + " holds " + n + " " + app);
        for (String apart : t.distinctFromApps()) {
          if (!apart.equals(app)) continue;
          assertTrue(n <= 1, h.hostId() + " holds " + n + " replicas of distinct " + app);
        }
      }
    }
  }

  private static List<HostCandidate> hosts(Random rnd, int n) {
    List<HostCandidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Resources cap = new Resources(2 + rnd.nextInt(15), 1024L * (2 + rnd.nextInt(31)), 20L + rnd.nextInt(200),
          100L * (1 + rnd.nextInt(10)));
      Set<String> runtimes = new HashSet<>();
      for (String rt : RUNTIMES) if (rnd.nextInt(4) > 0) runtimes.add(rt);
      HostStatus status = rnd.nextInt(6) == 0 ? HostStatus.values()[rnd.nextInt(3)] : HostStatus.UP;
      Map<String, Integer> apps = new HashMap<>();
      if (rnd.nextInt(3) > 0) apps.put(APPS.get(rnd.nextInt(APPS.size())), 1 + rnd.nextInt(2));
      CostRates rates = new CostRates(rnd.nextDouble() * 1e-4, rnd.nextDouble() * 1e-2, rnd.nextDouble() * 0.1);
      HostSpec spec = new HostSpec(String.format("h%02d", i), cap, List.copyOf(runtimes), SITES.get(rnd.nextInt(SITES.size())),
          rnd.nextInt(3), rates);
      // a little already used, never beyond capacity, so over-commitment can only come from placement
      Resources used = new Resources(rnd.nextInt(cap.cpuCores() / 2 + 1), cap.memoryMiB() / (2 + rnd.nextInt(4)), 0, 0);
      out.add(new HostCandidate(spec, status, used, apps, apps.values().stream().mapToInt(Integer::intValue).sum()));
    }
    return out;
  }

  private static PlacementRequest request(Random rnd, String id) {
    String app = rnd.nextInt(5) == 0 ? null : APPS.get(rnd.nextInt(APPS.size()));
    boolean pinned = rnd.nextInt(3) == 0;
    VmSpec vm = new VmSpec(1 + rnd.nextInt(3), 256L * (1 + rnd.nextInt(12)), rnd.nextInt(30), rnd.nextInt(200),
        RUNTIMES.get(rnd.nextInt(RUNTIMES.size())), "img", !pinned, rnd.nextInt(3))
        .withSite(rnd.nextBoolean() ? SITES.get(rnd.nextInt(SITES.size())) : null, rnd.nextInt(4) == 0);
    Set<String> distinct = app != null && rnd.nextBoolean() ? Set.of(app) : Set.of();
    Set<String> affinity = rnd.nextInt(3) == 0 ? Set.of(APPS.get(rnd.nextInt(APPS.size()))) : Set.of();
    if (app != null && affinity.contains(app)) affinity = Set.of();
    int max = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0;
    return new PlacementRequest(id, vm, app, distinct, affinity, max, new ExpectedUse(rnd.nextDouble(), rnd.nextInt(5)));
  }
}
