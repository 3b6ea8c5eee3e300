package io.actorvmm.bench;

import io.actorvmm.runtime.NodeSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * Benchmark 4: N VM entities alive on one node within the JVM's heap (run with -Xmx2g).
 *
 * <p>Creates N VMs (Create only: each entity recovers, persists VmCreated and stays alive), checks
 * with sharding's own region state that all are alive, and reports heap in use after full GCs.
 * Baseline: heap in use on the same node, after GC, before creating them. The heap with entities
 * includes what the node keeps per VM besides the entity (its inventory read side folds every
 * event); the share of the entities alone is measured by stopping the VM shard region and
 * collecting again.
 */
final class MemoryBench {
  private MemoryBench() {}

  static Report run(Bench.Args a, String kind) throws Exception {
    int entities = a.integer("entities", 100_000);
    int concurrency = a.integer("concurrency", 512);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 480));
    int warm = 1000;
    long max = Runtime.getRuntime().maxMemory();
    Report report = new Report("4 memory", kind);
    try (BenchDb db = BenchDb.create(kind)) {
      NodeSettings s = BenchNode.settings(db).withHosts(List.of("bench-host-0"));
      try (BenchNode node = BenchNode.start(s)) {
        String dbName = db.describe(s);
        BenchNode.Drive w = node.drive("mwarm-", 0, warm, false, concurrency);
        if (w.failed() > 0) throw new IllegalStateException("warm-up failed: " + w.firstError());
        long base = BenchNode.usedHeapAfterGc();
        long t0 = System.nanoTime();
        BenchNode.Drive d = node.drive("mem-", 0, entities, false, concurrency);
        long created = System.nanoTime() - t0;
        long aliveBefore = node.aliveVmEntities();
        long used = BenchNode.usedHeapAfterGc();
        long alive = node.aliveVmEntities();
        long expected = (long) entities + warm;
        // the entities' own share: stop the VM region, collect, compare
        var region = ClusterSharding.get(Adapter.toClassic(node.system)).shardRegion("Vm");
        Patterns.gracefulStop(region, Duration.ofSeconds(120), ShardRegion.gracefulShutdownInstance())
            .toCompletableFuture().get(150, TimeUnit.SECONDS);
        long withoutEntities = BenchNode.usedHeapAfterGc();

        double perEntity = (used - base) / (double) entities;
        double entityOnly = (used - withoutEntities) / (double) alive;
        boolean pass = d.failed() == 0 && alive >= expected && max <= (2L << 30) + (64L << 20) && used < max;
        report.figure(used / (double) (1 << 20), "MiB heap used", String.format(
                "%,d VM entities alive (region state), after full GC; max heap %,d MiB", alive, max >> 20))
            .baseline(base / (double) (1 << 20), String.format("heap used after GC before creating them, with %d "
                + "warm-up VMs", warm))
            .target("100,000 entities alive within a 2 GiB heap", pass)
            .note("%s; %,d Creates in %s = %,.0f VMs/s, %d failed%s", dbName, entities, BenchNode.secs(created),
                entities / (created / 1e9), d.failed(), d.failed() > 0 ? ": " + d.firstError() : "")
            .note("%,.0f bytes per VM on the node (entity + inventory read side + journal/caches)", perEntity)
            .note("%,.0f bytes per VM entity alone (heap freed by stopping the VM region: %,d MiB left)", entityOnly,
                withoutEntities >> 20)
            .note("alive before/after GC: %,d / %,d of %,d expected", aliveBefore, alive, expected);
        var sharding = node.system.settings().config().getConfig("pekko.cluster.sharding.passivation");
        String idle = sharding.getString("strategy") + ", idle timeout "
            + sharding.getDuration("default-idle-strategy.idle-entity.timeout").toSeconds() + " s";
        report.note("passivation: %s (the creates must finish within it for all to be alive at the count)", idle);
        if (max > (2L << 30) + (64L << 20)) report.note("run with -Xmx2g: max heap is %,d MiB", max >> 20);
      }
    }
    return report;
  }
}
