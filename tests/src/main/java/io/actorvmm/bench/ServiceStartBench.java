package io.actorvmm.bench;

import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.service.Availability;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 6 (issue 3): a service of N replicas (default 1,000) spread over H simulated hosts
 * (default 200) at zero copy and boot delay, started on one node; the figure is the time from the
 * start request until the service records itself Available. Rules: at most {@code max-per-host}
 * replicas of the application on one host, placement policy "spread".
 *
 * <p>Baseline, same node and run, measured first: the same number of plain VMs (no service, no
 * application) created and started directly through sharding, 256 in flight, until the node's
 * inventory shows them all Running. The ratio says what the service layer (start order, application
 * and service actors, availability) costs on top of placing and booting the VMs.
 */
final class ServiceStartBench {
  private ServiceStartBench() {}

  static Report run(Bench.Args a, String kind) throws Exception {
    int hosts = a.integer("hosts", 200);
    int replicas = a.integer("replicas", 1000);
    int maxPerHost = a.integer("max-per-host", 10);
    int perHostCapacity = a.integer("host-vms", 2 * Math.max(maxPerHost, (replicas + hosts - 1) / hosts) + 2);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 600));
    Report report = new Report("6 service start", kind);
    try (BenchDb db = BenchDb.create(kind)) {
      NodeSettings s = BenchNode.settings(db).withHosts(BenchNode.hostIds(hosts))
          .withCapacity(BenchNode.capacityFor(perHostCapacity));
      try (BenchNode node = BenchNode.start(s)) {
        // warm-up, then the baseline: plain VMs, no service
        node.drive("warm-", 0, 200, true, 256);
        BenchNode.waitUntil(timeout, () -> node.runningInInventory("warm-") >= 200);
        long b0 = System.nanoTime();
        BenchNode.Drive plain = node.drive("plain-", 0, replicas, true, 256);
        boolean plainAll = BenchNode.waitUntil(timeout, () -> node.runningInInventory("plain-") >= replicas);
        long plainNanos = System.nanoTime() - b0;

        ServiceRules rules = new ServiceRules(List.of()).withMaxPerHost("web", maxPerHost)
            .withPlacementPolicy("spread");
        ServiceSpec spec = new ServiceSpec("big", List.of(new AppRequirement("web", "web-frontend", replicas,
            BenchNode.SPEC, List.of())), rules);
        var service = node.sharding.entityRefFor(ServiceEntity.ENTITY_KEY, "big");
        service.<ServiceEntity.ServiceView>askWithStatus(r -> new ServiceEntity.Define(spec, "bench", r),
            BenchNode.ASK).toCompletableFuture().get(60, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        service.<ServiceEntity.ServiceView>askWithStatus(r -> new ServiceEntity.Start("bench", r), BenchNode.ASK)
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        boolean available = BenchNode.waitUntil(timeout, () -> {
          try {
            return service.<ServiceEntity.ServiceView>ask(ServiceEntity.Get::new, Duration.ofSeconds(10))
                .toCompletableFuture().get(15, TimeUnit.SECONDS).state().availability() == Availability.AVAILABLE;
          } catch (Exception e) {
            return false;
          }
        });
        long nanos = System.nanoTime() - t0;

        Map<String, Integer> perHost = new HashMap<>();
        java.util.Set<String> plainHosts = new java.util.HashSet<>();
        int running = 0;
        for (VmState v : node.runtime.journal().inventory().vms()) {
          if (!v.vmId().startsWith("web-") && v.hostId() != null) plainHosts.add(v.hostId());
          if (!v.vmId().startsWith("web-") || v.phase() != VmPhase.RUNNING) continue;
          running++;
          perHost.merge(v.hostId(), 1, Integer::sum);
        }
        int most = perHost.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        double secs = nanos / 1e9;
        double plainSecs = plainNanos / 1e9;
        report.figure(secs, "s", String.format("service of %,d replicas started until Available", replicas))
            .baseline(plainSecs, String.format("%,d plain VMs created and started directly until Running (%s)",
                replicas, plain.failed() == 0 && plainAll ? "all Running" : "NOT all Running"))
            .target("Available (no numeric target in the issue; ratio = service time / plain time)", available)
            .note("%s, %d simulated hosts (%d VMs of capacity each), policy spread, max %d per host", db.describe(s),
                hosts, perHostCapacity, maxPerHost)
            .note("%,d replicas running on %d hosts, at most %d on one host; %,.0f replicas/s (the warm-up's and"
                + " baseline's VMs, packed, hold %d of the hosts)", running, perHost.size(), most, replicas / secs,
                plainHosts.size());
        if (!available) report.note("not Available within %s", timeout);
      }
    }
    return report;
  }
}
