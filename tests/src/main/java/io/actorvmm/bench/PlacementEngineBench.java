package io.actorvmm.bench;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.CapacityFilter;
import io.actorvmm.domain.placement.ExpectedUse;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.placement.PlacementEngine;
import io.actorvmm.domain.placement.PlacementPolicy;
import io.actorvmm.domain.placement.PlacementRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Benchmark 5: placement decisions per second of the pure domain engine on a large cluster.
 *
 * <p>A seeded random cluster of N hosts (sites, runtimes, security levels, cost rates, capacities)
 * holds M VMs of A applications, filled directly so every host respects the applications' rules
 * (anti-affinity, affinity, max per host). Then D requests for replicas of random applications go
 * through {@code PlacementEngine.standard()} with every filter on and each application's policy
 * (pack, spread, cost or a weighted sum); each placed VM is applied to the host view, as the scheduler
 * does, so the cluster keeps growing. Baseline, same run, same requests on the same starting
 * cluster: an engine with only the capacity filter and the pack scorer.
 */
final class PlacementEngineBench {
  private PlacementEngineBench() {}

  static final double TARGET = 2000;

  private static final String[] SITES = {HostSpec.LOCAL_SITE, HostSpec.LOCAL_SITE, HostSpec.LOCAL_SITE, "east", "west"};
  private static final String[] RUNTIMES = {"qemu", "kvm", "lxc", "process"};
  private static final String[] POLICIES = {"pack", "spread", "cost", "pack:1,cost:2"};

  /** One application of the random cluster: its VM, rules and policy. */
  private record App(String name, VmSpec vm, Set<String> distinct, Set<String> affinity, int maxPerHost,
                     PlacementPolicy policy, ExpectedUse use) {}

  static Report run(Bench.Args a, String kind) {
    int hostCount = a.integer("hosts", 10_000);
    int vmCount = a.integer("vms", 100_000);
    int appCount = a.integer("apps", 5_000);
    int decisions = a.integer("decisions", 20_000);
    int warm = a.integer("warmup", 4_000);
    int parallelFrom = a.integer("parallel-min-hosts", PlacementEngine.PARALLEL_MIN_HOSTS);
    long seed = a.integer("seed", 42);
    Random rnd = new Random(seed);

    long t0 = System.nanoTime();
    List<App> apps = apps(rnd, appCount);
    List<HostCandidate> start = cluster(rnd, hostCount, vmCount, apps);
    long built = System.nanoTime() - t0;
    int placedVms = start.stream().mapToInt(HostCandidate::vms).sum();
    List<Integer> requestApps = new ArrayList<>();
    for (int i = 0; i < warm + decisions; i++) requestApps.add(rnd.nextInt(apps.size()));

    PlacementEngine full = PlacementEngine.standard().withParallelMinHosts(parallelFrom);
    PlacementEngine capacityOnly = new PlacementEngine(List.of(new CapacityFilter()), PlacementPolicy.PACK, parallelFrom);

    // both engines warm up before either is measured, so neither pays the other's JIT time
    Run fullWarm = drive(full, true, start, apps, requestApps, 0, warm);
    Run baseWarm = drive(capacityOnly, false, start, apps, requestApps, 0, warm);
    Run f = drive(full, true, fullWarm.hosts, apps, requestApps, warm, warm + decisions);
    Run b = drive(capacityOnly, false, baseWarm.hosts, apps, requestApps, warm, warm + decisions);
    double rate = decisions / (f.nanos / 1e9);
    double baseRate = decisions / (b.nanos / 1e9);

    // explaining a decision builds its hosts' verdicts; measured apart, the last of 20 rounds so the code is warm
    App app = apps.get(requestApps.get(0));
    PlacementDecision d = null;
    PlacementDecision top = null;
    long keepTen = 0;
    long explain = 0;
    int verdicts = 0;
    for (int round = 0; round < 20; round++) {
      d = full.decide(request("explain", app), f.hosts, app.policy());
      long e0 = System.nanoTime();
      top = d.withVerdictLimit(10);
      keepTen = System.nanoTime() - e0;
      e0 = System.nanoTime();
      verdicts = List.copyOf(d.verdicts()).size();
      explain = System.nanoTime() - e0;
    }

    Report report = new Report("5 engine", kind);
    report.figure(rate, "decisions/s", String.format("%,d decisions, all 8 filters, per-app policies, %,d hosts, "
            + "%,d VMs placed at start", decisions, hostCount, placedVms))
        .baseline(baseRate, "same requests and starting cluster, capacity filter and pack scorer only")
        .target("≥ 2,000 decisions/s with 10,000 hosts and 100,000 placed VMs, all filters on", rate >= TARGET
            && hostCount >= 10_000 && placedVms >= 100_000)
        .note("cluster built in %s: %,d hosts, %,d apps, %,d of %,d VMs placed by the generator", String.format("%.1f s", built / 1e9),
            hostCount, apps.size(), placedVms, vmCount)
        .note("all filters: %,d placed, %,d unplaced (e.g. \"%s\"); capacity only: %,d placed", f.placed,
            decisions - f.placed, f.lastUnplaced, b.placed)
        .note("VMs on the hosts after the measured decisions: %,d; hosts over-committed: %d (must be 0)",
            f.hosts.stream().mapToInt(HostCandidate::vms).sum(), f.hosts.stream().filter(PlacementEngineBench::overCommitted).count())
        .note("one decision explained: first %d verdicts in %.2f ms, all %,d in %.2f ms (%s)", top.verdicts().size(),
            keepTen / 1e6, verdicts, explain / 1e6, d.summary())
        .note("process CPU per decision: all filters %.0f µs, capacity only %.0f µs (%,.0f and %,.0f decisions per "
            + "CPU-second; the wall-clock rates above depend on how busy the machine is)", f.cpuNanos / 1e3 / decisions,
            b.cpuNanos / 1e3 / decisions, decisions / (f.cpuNanos / 1e9), decisions / (b.cpuNanos / 1e9))
        .note("cores %d, load %.2f, common pool parallelism %d, parallel from %,d hosts",
            Runtime.getRuntime().availableProcessors(),
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            java.util.concurrent.ForkJoinPool.getCommonPoolParallelism(), parallelFrom);
    return report;
  }

  /** The outcome of a series of decisions: the hosts after applying them, time, placed count. */
  private record Run(List<HostCandidate> hosts, long nanos, long cpuNanos, int placed, String lastUnplaced) {}

  /** CPU time of the whole process (all threads, GC and JIT included), so a busy machine can be told apart. */
  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Decides requests [from, to) on a copy of {@code start}, applying every placed VM. */
  private static Run drive(PlacementEngine engine, boolean policies, List<HostCandidate> start, List<App> apps,
                           List<Integer> requestApps, int from, int to) {
    List<HostCandidate> hosts = new ArrayList<>(start);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < hosts.size(); i++) index.put(hosts.get(i).hostId(), i);
    int placed = 0;
    String unplaced = "none";
    long c0 = processCpu();
    long t0 = System.nanoTime();
    for (int i = from; i < to; i++) {
      App app = apps.get(requestApps.get(i));
      PlacementRequest r = request("bench-" + i, app);
      PlacementDecision d = policies ? engine.decide(r, hosts, app.policy()) : engine.decide(r, hosts);
      if (d.placed()) {
        int h = index.get(d.chosenHost());
        hosts.set(h, hosts.get(h).plus(app.name(), app.vm().demand()));
        placed++;
      } else {
        unplaced = d.summary();
      }
    }
    long nanos = System.nanoTime() - t0;
    return new Run(hosts, nanos, processCpu() - c0, placed, unplaced);
  }

  private static boolean overCommitted(HostCandidate h) {
    return h.free().firstNegative() != null;
  }

  private static PlacementRequest request(String vmId, App app) {
    return new PlacementRequest(vmId, app.vm(), app.name(), app.distinct(), app.affinity(), app.maxPerHost(), app.use());
  }

  private static List<App> apps(Random rnd, int count) {
    List<App> apps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "app-" + i;
      boolean pinned = rnd.nextInt(10) == 0;
      VmSpec vm = new VmSpec(1 + rnd.nextInt(4), 1024L * (1 + rnd.nextInt(8)), 10 + rnd.nextInt(90), 10 + rnd.nextInt(90),
          RUNTIMES[rnd.nextInt(RUNTIMES.length)], "img", !pinned, rnd.nextInt(3),
          pinned ? SITES[rnd.nextInt(SITES.length)] : null, rnd.nextInt(5) == 0, DataPolicy.REPLICATED, 0, null);
      Set<String> distinct = rnd.nextInt(10) < 4 ? Set.of(name) : Set.of();
      // affinity only to an earlier app, so the rules form no cycles of their own
      Set<String> affinity = i > 0 && rnd.nextInt(10) == 0 ? Set.of("app-" + rnd.nextInt(i)) : Set.of();
      int maxPerHost = rnd.nextInt(10) < 3 ? 2 + rnd.nextInt(3) : 0;
      apps.add(new App(name, vm, distinct, affinity, maxPerHost, PlacementPolicy.parse(POLICIES[rnd.nextInt(POLICIES.length)]),
          new ExpectedUse(rnd.nextDouble(), rnd.nextInt(20))));
    }
    return apps;
  }

  /** Hosts holding up to {@code vms} VMs of random apps, each put on a random host that keeps every rule. */
  private static List<HostCandidate> cluster(Random rnd, int hostCount, int vms, List<App> apps) {
    List<HostSpec> specs = new ArrayList<>();
    for (int i = 0; i < hostCount; i++) {
      List<String> runtimes = new ArrayList<>();
      for (String rt : RUNTIMES) if (rnd.nextInt(3) > 0) runtimes.add(rt);
      if (runtimes.isEmpty()) runtimes.add(RUNTIMES[rnd.nextInt(RUNTIMES.length)]);
      Resources cap = new Resources(32 + 16 * rnd.nextInt(7), 1024L * (128 + 64 * rnd.nextInt(7)), 2000 + rnd.nextInt(6000),
          10_000);
      CostRates rates = new CostRates(rnd.nextDouble() * 1e-5, rnd.nextDouble() * 1e-4, rnd.nextDouble() * 0.05);
      specs.add(new HostSpec(String.format("host-%05d", i), cap, runtimes, SITES[rnd.nextInt(SITES.length)],
          rnd.nextInt(4), rates));
    }
    Resources[] used = new Resources[hostCount];
    java.util.Arrays.fill(used, Resources.ZERO);
    List<Map<String, Integer>> onHost = new ArrayList<>();
    for (int i = 0; i < hostCount; i++) onHost.add(new HashMap<>());
    int[] count = new int[hostCount];
    Map<String, List<Integer>> hostsOf = new HashMap<>();
    int placed = 0;
    // some VMs fit nowhere they are tried; keep drawing until the cluster holds the asked number (or gives up)
    for (int v = 0; v < vms * 3 && placed < vms; v++) {
      App app = apps.get(rnd.nextInt(apps.size()));
      for (int attempt = 0; attempt < 20; attempt++) {
        int h = pick(rnd, hostCount, app, hostsOf);
        HostSpec s = specs.get(h);
        Map<String, Integer> there = onHost.get(h);
        boolean ok = s.runtimes().contains(app.vm().runtime()) && s.securityLevel() >= app.vm().securityLevel()
            && (app.vm().relocatable() || app.vm().site() == null || app.vm().site().equals(s.site()))
            && !(app.vm().localSitesOnly() && s.remote())
            && s.capacity().minus(used[h]).fits(app.vm().demand())
            && app.distinct().stream().noneMatch(there::containsKey)
            && (app.maxPerHost() == 0 || there.getOrDefault(app.name(), 0) < app.maxPerHost());
        if (ok) {
          used[h] = used[h].plus(app.vm().demand());
          there.merge(app.name(), 1, Integer::sum);
          count[h]++;
          hostsOf.computeIfAbsent(app.name(), k -> new ArrayList<>()).add(h);
          placed++;
          break;
        }
      }
    }
    List<HostCandidate> hosts = new ArrayList<>();
    for (int i = 0; i < hostCount; i++) {
      // a few hosts are down or in maintenance, as in a live cluster
      HostStatus status = rnd.nextInt(100) == 0 ? HostStatus.DOWN : rnd.nextInt(100) == 0 ? HostStatus.MAINTENANCE : HostStatus.UP;
      hosts.add(new HostCandidate(specs.get(i), status, used[i], onHost.get(i), count[i]));
    }
    return hosts;
  }

  /** A random host, or for an app with affinity one already running its partner when there is one. */
  private static int pick(Random rnd, int hostCount, App app, Map<String, List<Integer>> hostsOf) {
    if (!app.affinity().isEmpty()) {
      List<Integer> partner = hostsOf.get(app.affinity().iterator().next());
      if (partner != null && !partner.isEmpty()) return partner.get(rnd.nextInt(partner.size()));
    }
    return rnd.nextInt(hostCount);
  }
}
