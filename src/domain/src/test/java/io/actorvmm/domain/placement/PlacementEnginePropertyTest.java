package io.actorvmm.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Random clusters checked against an independent statement of the placement rules. */
class PlacementEnginePropertyTest {
  private static final int CASES = 2_000;
  private static final List<String> RUNTIMES = List.of("qemu", "kvm", "lxc");
  private static final List<String> APPS = List.of("web", "db", "payment");
  private final PlacementEngine engine = PlacementEngine.standard();

  /** The rules written out directly, without the filters, so a filter bug cannot hide itself. */
  private static boolean eligible(PlacementRequest r, HostCandidate h) {
    Resources free = h.spec().capacity().minus(h.used());
    Resources need = r.spec().demand();
    boolean fits = free.cpuCores() >= need.cpuCores() && free.memoryMiB() >= need.memoryMiB()
        && free.storageGiB() >= need.storageGiB() && free.networkMbit() >= need.networkMbit();
    boolean apart = h.apps().keySet().stream().noneMatch(r.distinctFromApps()::contains);
    return h.status() == HostStatus.UP && h.spec().runtimes().contains(r.spec().runtime())
        && h.spec().securityLevel() >= r.spec().securityLevel() && fits && apart;
  }

  @Test
  void chosenHostsAlwaysPassAndUnplacedVmsAreRejectedEverywhere() {
    int placed = 0;
    for (int seed = 1; seed <= CASES; seed++) {
      Random rnd = new Random(seed);
      List<HostCandidate> hosts = randomHosts(rnd);
      PlacementRequest r = randomRequest(rnd);
      PlacementDecision d = engine.decide(r, hosts);
      String ctx = "seed " + seed;
      Map<String, HostCandidate> byId = hosts.stream().collect(Collectors.toMap(HostCandidate::hostId, Function.identity()));

      // every host gets exactly one verdict
      assertEquals(byId.keySet(), d.verdicts().stream().map(HostVerdict::hostId).collect(Collectors.toSet()), ctx);
      assertEquals(hosts.size(), d.verdicts().size(), ctx);

      boolean anyEligible = hosts.stream().anyMatch(h -> eligible(r, h));
      assertEquals(anyEligible, d.placed(), ctx);
      if (d.placed()) {
        placed++;
        HostCandidate chosen = byId.get(d.chosenHost());
        assertNotNull(chosen, ctx);
        assertTrue(eligible(r, chosen), ctx + ": chosen " + d.chosenHost() + " breaks a rule");
        assertEquals(Outcome.CHOSEN, d.verdicts().get(0).outcome(), ctx);
        assertEquals(d.chosenHost(), d.verdicts().get(0).hostId(), ctx);
        assertTrue(d.summary().startsWith("placed on " + d.chosenHost() + ": "), ctx);
      } else {
        assertTrue(d.verdicts().stream().allMatch(v -> v.outcome() == Outcome.REJECTED), ctx);
        assertTrue(d.summary().startsWith("no host fits: "), ctx);
      }
      for (HostVerdict v : d.verdicts()) {
        HostCandidate h = byId.get(v.hostId());
        // a verdict's outcome agrees with the rules: rejected exactly when ineligible, with a filter and reason
        assertEquals(!eligible(r, h), v.outcome() == Outcome.REJECTED, ctx + " " + v);
        if (v.outcome() == Outcome.REJECTED) {
          assertNotNull(v.filter(), ctx);
          assertNotNull(v.reason(), ctx);
        } else {
          // the chosen host scores at least as well as any other passed host
          assertTrue(d.verdicts().get(0).score() >= v.score(), ctx);
          assertNull(v.filter(), ctx);
        }
      }
      assertEquals(d.placed() ? 1 : 0, d.verdicts().stream().filter(v -> v.outcome() == Outcome.CHOSEN).count(), ctx);
    }
    // the generator must exercise both outcomes, or the checks above prove little
    assertTrue(placed > CASES / 10 && placed < CASES * 9 / 10, "placed " + placed + " of " + CASES);
  }

  @Test
  void summaryCountsAddUpToTheHosts() {
    for (int seed = 1; seed <= CASES; seed++) {
      Random rnd = new Random(seed);
      List<HostCandidate> hosts = randomHosts(rnd);
      PlacementDecision d = engine.decide(randomRequest(rnd), hosts);
      if (hosts.isEmpty()) {
        assertEquals("no host fits: no hosts are registered", d.summary());
        continue;
      }
      String[] parts = d.summary().substring(d.summary().indexOf(": ") + 2).split(", ");
      assertEquals(hosts.size() + (hosts.size() == 1 ? " host" : " hosts"), parts[0], "seed " + seed);
      int sum = 0;
      for (int i = 1; i < parts.length; i++) sum += Integer.parseInt(parts[i].substring(0, parts[i].indexOf(' ')));
      assertEquals(hosts.size(), sum, "seed " + seed + ": " + d.summary());
    }
  }

  private static List<HostCandidate> randomHosts(Random rnd) {
    int n = rnd.nextInt(7);  // 0..6 hosts, including none at all
    List<HostCandidate> hosts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Resources cap = new Resources(1 + rnd.nextInt(16), 1024L * (1 + rnd.nextInt(32)), 10L * (1 + rnd.nextInt(20)),
          100L * (1 + rnd.nextInt(10)));
      // sometimes over-committed, so free can go below zero
      Resources used = new Resources(rnd.nextInt(cap.cpuCores() + 2), (long) (cap.memoryMiB() * rnd.nextDouble() * 1.1),
          (long) (cap.storageGiB() * rnd.nextDouble()), (long) (cap.networkMbit() * rnd.nextDouble()));
      Set<String> runtimes = new HashSet<>();
      for (String rt : RUNTIMES) if (rnd.nextInt(3) > 0) runtimes.add(rt);
      HostStatus status = rnd.nextInt(5) == 0 ? HostStatus.values()[rnd.nextInt(3)] : HostStatus.UP;
      Map<String, Integer> apps = new HashMap<>();
      int vmCount = rnd.nextInt(3);
      for (int v = 0; v < vmCount; v++) {
        String app = rnd.nextInt(4) == 0 ? "" : APPS.get(rnd.nextInt(APPS.size()));
        apps.merge(app, 1, Integer::sum);
      }
      HostSpec spec = new HostSpec("h" + i, cap, List.copyOf(runtimes), "local", rnd.nextInt(3), CostRates.FREE);
      hosts.add(new HostCandidate(spec, status, used, apps, vmCount));
    }
    return hosts;
  }

  private static PlacementRequest randomRequest(Random rnd) {
    VmSpec vm = new VmSpec(1 + rnd.nextInt(4), 256L * (1 + rnd.nextInt(16)), rnd.nextInt(50), rnd.nextInt(300),
        RUNTIMES.get(rnd.nextInt(RUNTIMES.size())), "img", true, rnd.nextInt(3));
    String app = rnd.nextBoolean() ? APPS.get(rnd.nextInt(APPS.size())) : null;
    Set<String> apart = app != null && rnd.nextBoolean() ? Set.of(app) : Set.of();
    return new PlacementRequest("new-vm", vm, app, apart);
  }
}
