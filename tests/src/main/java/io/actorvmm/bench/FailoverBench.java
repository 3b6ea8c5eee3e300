package io.actorvmm.bench;

import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.vm.PlacementRules;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark: failover after a host node is killed.
 *
 * <p>This process runs the seed node (the control plane: scheduler, host monitor, moves) in-process;
 * three host nodes p1, p2, p3 run as separate {@code avm node} processes on the same journal. N VMs
 * (default 100; data REPLICATED, placed with the spread policy) run on them: a service "bench" with
 * an application of 10 replicas, and N-10 standalone VMs. The host node holding the most VMs is
 * killed with SIGKILL; the figure is the time from the kill until every VM it held runs on another
 * host and the service is available again. The baseline is the failure-detection part alone: the
 * time until the host reads Down. Target: at most 15 s.
 */
final class FailoverBench {
  private FailoverBench() {}

  static final double TARGET_SECONDS = 15;

  static Report run(Bench.Args a, String kind) throws Exception {
    int vms = a.integer("vms", 100);
    int timeoutS = a.integer("timeout-s", 120);
    int replicas = Math.min(10, vms);
    // the host nodes' fencing: a watchdog with this timeout ("off": membership alone)
    String fenceTimeout = a.str("fence-timeout", "5s");
    Report report = new Report("failover", kind);
    List<Process> processes = new ArrayList<>();
    Thread reaper = new Thread(() -> processes.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }));
    Runtime.getRuntime().addShutdownHook(reaper);
    try (BenchDb db = BenchDb.create(kind)) {
      int seedPort = BenchNode.freePort();
      List<String> seeds = List.of("127.0.0.1:" + seedPort);
      NodeSettings seed = db.settings(seedPort, BenchNode.freePort()).withRoles(List.of("seed"), seeds);
      try (BenchNode node = BenchNode.start(seed)) {
        Map<String, Process> hosts = new HashMap<>();
        Map<String, Integer> hostPorts = new HashMap<>();
        for (String h : List.of("p1", "p2", "p3")) {
          hostPorts.put(h, BenchNode.freePort());
          Process p = launch(seed, h, seedPort, hostPorts.get(h), vms, db, fenceTimeout);
          processes.add(p);
          hosts.put(h, p);
        }
        Duration ask = BenchNode.ASK;
        if (!BenchNode.waitUntil(Duration.ofSeconds(timeoutS), () -> hosts.keySet().stream()
            .allMatch(h -> status(node, h) == HostStatus.UP))) {
          throw new IllegalStateException("host nodes did not come up");
        }
        VmSpec spec = BenchNode.SPEC.withData(DataPolicy.REPLICATED, 0);
        ServiceSpec service = new ServiceSpec("bench", List.of(new AppRequirement("api", "api", replicas, spec,
            List.of())), new ServiceRules(List.of(), List.of(), Map.of(), 1, "spread", List.of()));
        node.sharding.entityRefFor(ServiceEntity.ENTITY_KEY, "bench").<ServiceEntity.ServiceView>askWithStatus(
            r -> new ServiceEntity.Define(service, "bench", r), ask).toCompletableFuture().get();
        node.sharding.entityRefFor(ServiceEntity.ENTITY_KEY, "bench").<ServiceEntity.ServiceView>askWithStatus(
            r -> new ServiceEntity.Start("bench", r), ask).toCompletableFuture().get();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) ids.add("api-" + i);
        List<CompletableFuture<VmState>> started = new ArrayList<>();
        PlacementRules spread = new PlacementRules(Set.of(), 0, "spread");
        for (int i = 0; i < vms - replicas; i++) {
          String id = String.format("fo-%04d", i);
          ids.add(id);
          var ref = node.sharding.entityRefFor(VmEntity.ENTITY_KEY, id);
          started.add(ref.<VmState>askWithStatus(r -> new VmEntity.Create(spec, null, Set.of(), spread, "bench", r), ask)
              .thenCompose(s -> ref.<VmState>askWithStatus(r -> new VmEntity.Start("bench", r), ask))
              .toCompletableFuture());
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(timeoutS, TimeUnit.SECONDS);
        if (!BenchNode.waitUntil(Duration.ofSeconds(timeoutS), () -> running(node, ids) == ids.size()
            && available(node))) {
          throw new IllegalStateException("the VMs did not all run: " + running(node, ids) + " of " + ids.size());
        }
        Map<String, List<String>> byHost = new HashMap<>();
        for (String id : ids) byHost.computeIfAbsent(vm(node, id).hostId(), k -> new ArrayList<>()).add(id);
        String victim = byHost.entrySet().stream().max((x, y) -> Integer.compare(x.getValue().size(),
            y.getValue().size())).orElseThrow().getKey();
        List<String> lost = byHost.get(victim);

        long t0 = System.nanoTime();
        java.time.Instant killedAt = java.time.Instant.now();
        hosts.get(victim).destroyForcibly();  // SIGKILL
        double[] downAt = {Double.NaN};
        boolean done = BenchNode.waitUntil(Duration.ofSeconds(timeoutS), () -> {
          if (Double.isNaN(downAt[0]) && status(node, victim) == HostStatus.DOWN) downAt[0] = (System.nanoTime() - t0) / 1e9;
          return !Double.isNaN(downAt[0]) && runningElsewhere(node, lost, victim) && available(node);
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.figure(seconds, "s", "kill -9 of host node " + victim + " with " + lost.size() + " of " + ids.size()
                + " VMs until all run elsewhere and the service is available")
            .baseline(downAt[0], "until the host reads down (failure detector + split brain resolver)")
            .target("<= " + Report.num(TARGET_SECONDS) + " s", done && seconds <= TARGET_SECONDS)
            .note("placement before: %s", sizes(byHost))
            .note("restarts after the host was down: %.1f s", seconds - downAt[0])
            .note("fencing: %s", fenceTimeout.equals("off") ? "off (membership alone)"
                : "watchdog, fence timeout " + fenceTimeout + ", failover margin 2 s");
        if (!fenceTimeout.equals("off")) {
          Path log = seed.dataDir().resolve("fence").resolve("node-" + hostPorts.get(victim)).resolve("watchdog.log");
          report.note("the victim's watchdog fenced %s after the kill", fencedAfter(log, killedAt));
        }
        if (!done) report.note("not done: %d of %d lost VMs run elsewhere", countElsewhere(node, lost, victim), lost.size());
      }
    } finally {
      processes.forEach(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      });
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException ignored) {
        // shutting down
      }
    }
    return report;
  }

  private static Map<String, Integer> sizes(Map<String, List<String>> byHost) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    byHost.forEach((h, l) -> out.put(h, l.size()));
    return out;
  }

  /** How long after {@code killedAt} the watchdog's log says it fenced ("?" when it did not). */
  private static String fencedAfter(Path log, java.time.Instant killedAt) {
    try {
      for (String line : Files.readAllLines(log)) {
        if (line.contains(" FENCE: ")) {
          java.time.Instant at = java.time.Instant.parse(line.substring(0, line.indexOf(' ')));
          return String.format("%.1f s", Duration.between(killedAt, at).toMillis() / 1000.0);
        }
      }
    } catch (Exception e) {
      return "? (" + e.getMessage() + ")";
    }
    return "? (no fence in " + log + ")";
  }

  /** Starts {@code avm node} for host {@code hostId} in its own JVM on this process's class path. */
  private static Process launch(NodeSettings seed, String hostId, int seedPort, int port, int vms, BenchDb db,
                                String fenceTimeout) throws Exception {
    Path log = Files.createTempFile("avm-bench-" + hostId + "-", ".log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "io.actorvmm.dist.Main", "node",
        "--roles", "host", "--host-id", hostId, "--port", String.valueOf(port),
        "--api-port", String.valueOf(BenchNode.freePort()), "--seeds", "127.0.0.1:" + seedPort,
        "--data-dir", seed.dataDir().toString(), "--journal", seed.journal(),
        "--host-cpu", String.valueOf(vms * 2), "--host-memory", String.valueOf(vms * 1024L),
        "--host-storage", String.valueOf(vms * 20L), "--host-network", String.valueOf(vms * 20L)));
    cmd.addAll(fenceTimeout.equals("off") ? List.of("--fencing", "off") : List.of("--fence-timeout", fenceTimeout));
    if ("postgres".equals(seed.journal())) {
      cmd.addAll(List.of("--pg-url", seed.pgUrl(), "--pg-user", seed.pgUser(), "--pg-password", seed.pgPassword()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    System.out.println("# host node " + hostId + " log: " + log);
    return pb.start();
  }

  private static HostStatus status(BenchNode node, String host) {
    try {
      HostState s = node.sharding.entityRefFor(HostEntity.ENTITY_KEY, host).<HostState>ask(HostEntity.Get::new,
          Duration.ofSeconds(3)).toCompletableFuture().get();
      return s.registered() ? s.status() : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static VmState vm(BenchNode node, String id) {
    try {
      return node.sharding.entityRefFor(VmEntity.ENTITY_KEY, id).<VmState>ask(VmEntity.Get::new, Duration.ofSeconds(5))
          .toCompletableFuture().get();
    } catch (Exception e) {
      return VmState.empty(id);
    }
  }

  private static int running(BenchNode node, List<String> ids) {
    int n = 0;
    for (String id : ids) if (vm(node, id).phase() == VmPhase.RUNNING) n++;
    return n;
  }

  private static int countElsewhere(BenchNode node, List<String> ids, String lostHost) {
    int n = 0;
    for (String id : ids) {
      VmState s = vm(node, id);
      if (s.phase() == VmPhase.RUNNING && !lostHost.equals(s.hostId())) n++;
    }
    return n;
  }

  private static boolean runningElsewhere(BenchNode node, List<String> ids, String lostHost) {
    return countElsewhere(node, ids, lostHost) == ids.size();
  }

  private static boolean available(BenchNode node) {
    try {
      ServiceEntity.ServiceView v = node.sharding.entityRefFor(ServiceEntity.ENTITY_KEY, "bench")
          .<ServiceEntity.ServiceView>ask(ServiceEntity.Get::new, Duration.ofSeconds(5)).toCompletableFuture().get();
      return v.state().availability() == io.actorvmm.domain.service.Availability.AVAILABLE;
    } catch (Exception e) {
      return false;
    }
  }
}
