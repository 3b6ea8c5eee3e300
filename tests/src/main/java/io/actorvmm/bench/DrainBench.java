package io.actorvmm.bench;

import io.actorvmm.domain.VmPhase;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark: drain of a host with N VMs (default 100) on the simulated adapter at zero delay.
 *
 * <p>One node runs hosts src, dst1 and dst2 (each with room for all N VMs). The destinations are put
 * into maintenance, N VMs are started (so all land on src; the time this takes is the baseline: one
 * placement, copy and boot per VM), the destinations return to service, and src is drained: the
 * figure is the time from the drain command until src holds no VM and every VM runs on a destination.
 * Every VM goes through the full cold move (target reservation, stop, export, import, assign, start,
 * source cleanup, each step persisted). Target: at most 5 s for 100 VMs.
 */
final class DrainBench {
  private DrainBench() {}

  static final double TARGET_SECONDS = 5;

  static Report run(Bench.Args a, String kind) throws Exception {
    int vms = a.integer("vms", 100);
    int timeoutS = a.integer("timeout-s", 120);
    List<String> hosts = List.of("src", "dst1", "dst2");
    Report report = new Report("drain", kind);
    try (BenchDb db = BenchDb.create(kind)) {
      var settings = BenchNode.settings(db).withHosts(hosts).withCapacity(BenchNode.capacityFor(vms));
      try (BenchNode node = BenchNode.start(settings)) {
        Duration ask = BenchNode.ASK;
        for (String h : List.of("dst1", "dst2")) host(node, h).<HostState>askWithStatus(
            r -> new HostEntity.Drain(null, false, false, "bench", r), ask).toCompletableFuture().get();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < vms; i++) ids.add(String.format("drain-%04d", i));
        long t0 = System.nanoTime();
        List<CompletableFuture<VmState>> created = new ArrayList<>();
        for (String id : ids) {
          created.add(node.sharding.entityRefFor(VmEntity.ENTITY_KEY, id).<VmState>askWithStatus(
              r -> new VmEntity.Create(BenchNode.SPEC, null, Set.of(), "bench", r), ask)
              .thenCompose(s -> node.sharding.entityRefFor(VmEntity.ENTITY_KEY, id).<VmState>askWithStatus(
                  r -> new VmEntity.Start("bench", r), ask)).toCompletableFuture());
        }
        CompletableFuture.allOf(created.toArray(CompletableFuture[]::new)).get(timeoutS, TimeUnit.SECONDS);
        if (!waitUntil(Duration.ofSeconds(timeoutS), () -> allRunningOn(node, ids, Set.of("src")))) {
          throw new IllegalStateException("the VMs did not all run on src");
        }
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        for (String h : List.of("dst1", "dst2")) host(node, h).<HostState>askWithStatus(
            r -> new HostEntity.Undrain("bench", r), ask).toCompletableFuture().get();
        // the scheduler learns of the destinations' return before the drain asks it
        Thread.sleep(500);

        long d0 = System.nanoTime();
        host(node, "src").<HostState>askWithStatus(r -> new HostEntity.Drain(null, false, false, "bench", r), ask)
            .toCompletableFuture().get();
        boolean done = waitUntil(Duration.ofSeconds(timeoutS), () ->
            reservations(node, "src") == 0 && allRunningOn(node, ids, Set.of("dst1", "dst2")));
        double drainSeconds = (System.nanoTime() - d0) / 1e9;
        if (!done) {
          HostEntity.DrainReport r = host(node, "src").<HostEntity.DrainReport>ask(HostEntity.GetDrain::new, ask)
              .toCompletableFuture().get();
          report.note("drain did not finish: %d left, %d moving, waiting %s", r.remaining().size(), r.moving().size(),
              r.waiting());
        }
        report.figure(drainSeconds, "s", "drain of " + vms + " VMs from src to dst1/dst2, each a full cold move")
            .baseline(startSeconds, "starting the same " + vms + " VMs on src (place, copy, boot)")
            .target("<= " + Report.num(TARGET_SECONDS) + " s", done && drainSeconds <= TARGET_SECONDS)
            .note("%.1f moves/s; journal %s", vms / drainSeconds, db.describe(settings))
            .note("on dst1: %d, on dst2: %d", reservations(node, "dst1"), reservations(node, "dst2"));
      }
    }
    return report;
  }

  private static org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<HostEntity.Command> host(BenchNode node,
                                                                                                    String id) {
    return node.sharding.entityRefFor(HostEntity.ENTITY_KEY, id);
  }

  /** Polls {@code condition} every 100 ms (each poll asks every VM, so not more often) until it holds. */
  private static boolean waitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return true;
      BenchNode.sleep(100);
    }
    return condition.getAsBoolean();
  }

  private static int reservations(BenchNode node, String host) {
    try {
      return host(node, host).<HostState>ask(HostEntity.Get::new, Duration.ofSeconds(10)).toCompletableFuture()
          .get().reservations().size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean allRunningOn(BenchNode node, List<String> ids, Set<String> hosts) {
    List<CompletableFuture<VmState>> states = new ArrayList<>();
    for (String id : ids) {
      states.add(node.sharding.entityRefFor(VmEntity.ENTITY_KEY, id).<VmState>ask(VmEntity.Get::new,
          Duration.ofSeconds(10)).toCompletableFuture());
    }
    try {
      for (CompletableFuture<VmState> f : states) {
        VmState s = f.get();
        if (s.phase() != VmPhase.RUNNING || s.inMove() || !hosts.contains(s.hostId())) return false;
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
