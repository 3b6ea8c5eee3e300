package io.actorvmm.bench;

import io.actorvmm.adapters.Adapters;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.adapters.MigrationResult;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 7 (issue 5): real QEMU VMs under software emulation (TCG).
 *
 * <p>Figure: cold start of a QEMU VM to Running through the cluster — Create and Start on a node whose
 * host runs the QEMU adapter, until the node's inventory shows the VM Running (placement, journal,
 * image creation with qemu-img, the QEMU process and its QMP handshake). Baseline, same run: the same
 * steps on the adapter directly (define, create the image, start until QMP reports running), without
 * the cluster. Median of {@code --runs} VMs each.
 *
 * <p>Also printed: live migration of a running VM between two QEMU adapters of this machine issued
 * directly over QMP (total time and the downtime QEMU reports), the reference for the moves issue's
 * live move.
 */
final class QemuBench {
  private QemuBench() {}

  /** The benchmarks' QEMU VM: one CPU, 128 MiB, a 1 GiB disk. */
  static final VmSpec VM = new VmSpec(1, 128, 1, 10, "qemu", "bench.qcow2", true, 0);

  /** Options of the benchmarks' QEMU adapters: a roomy host, each VM capped to 128 MiB and one CPU. */
  static final Map<String, String> OPTIONS = Map.of("cpu", "8", "memoryMiB", "16384", "diskGiB", "100",
      "networkMbit", "1000", "memoryCapMiB", "128", "cpuCap", "1");

  static Report run(Bench.Args a, String kind) throws Exception {
    int runs = a.integer("runs", 5);
    Report report = new Report("7 QEMU cold start", kind);
    Path tmp = Files.createTempDirectory("avm-bench-qemu-");

    // baseline: the adapter alone
    List<Long> direct = new ArrayList<>();
    HypervisorAdapter alone = Adapters.create("qemu", "direct", tmp.resolve("direct"), OPTIONS);
    try {
      for (int i = 0; i < runs; i++) {
        String vm = "direct-" + i;
        long t0 = System.nanoTime();
        alone.define(vm, VM);
        alone.copyImage(vm, VM, p -> { }).toCompletableFuture().get(60, TimeUnit.SECONDS);
        alone.start(vm).toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (alone.status(vm) != VmRuntimeState.RUNNING) throw new IllegalStateException(vm + " not running");
        direct.add(System.nanoTime() - t0);
        alone.stop(vm).toCompletableFuture().get(60, TimeUnit.SECONDS);
        alone.destroy(vm);
      }
    } finally {
      alone.close();
    }

    // live migration issued directly over QMP between two adapters on this machine
    List<MigrationResult> migrations = new ArrayList<>();
    HypervisorAdapter src = Adapters.create("qemu", "src", tmp.resolve("src"), OPTIONS);
    HypervisorAdapter dst = Adapters.create("qemu", "dst", tmp.resolve("dst"), OPTIONS);
    try {
      for (int i = 0; i < runs; i++) {
        String vm = "live-" + i;
        src.define(vm, VM);
        src.copyImage(vm, VM, p -> { }).toCompletableFuture().get(60, TimeUnit.SECONDS);
        src.start(vm).toCompletableFuture().get(60, TimeUnit.SECONDS);
        MigrationEndpoint to = dst.prepareIncoming(vm, VM).toCompletableFuture().get(60, TimeUnit.SECONDS);
        MigrationResult r = src.migrateLive(vm, to, p -> { }).toCompletableFuture().get(120, TimeUnit.SECONDS);
        dst.finishIncoming(vm).toCompletableFuture().get(60, TimeUnit.SECONDS);
        migrations.add(r);
        dst.stop(vm).toCompletableFuture().get(60, TimeUnit.SECONDS);
        dst.destroy(vm);
      }
    } finally {
      src.close();
      dst.close();
    }

    // the figure: through the cluster
    List<Long> cluster = new ArrayList<>();
    String timeline = "";
    try (BenchDb db = BenchDb.create(kind)) {
      NodeSettings s = BenchNode.settings(db).withHosts(List.of("q1")).withHypervisor("qemu");
      try (BenchNode node = BenchNode.startWithRuntime(s, "qemu")) {
        for (int i = 0; i < runs + 1; i++) {
          String vmId = "qemu-" + i;
          var ref = node.sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId);
          long t0 = System.nanoTime();
          ref.<VmState>askWithStatus(r -> new VmEntity.Create(VM, null, Set.of(), "bench", r), BenchNode.ASK)
              .toCompletableFuture().get(60, TimeUnit.SECONDS);
          ref.<VmState>askWithStatus(r -> new VmEntity.Start("bench", r), BenchNode.ASK)
              .toCompletableFuture().get(60, TimeUnit.SECONDS);
          boolean up = BenchNode.waitUntil(Duration.ofSeconds(60), () -> node.runtime.journal().inventory().vms()
              .stream().anyMatch(v -> v.vmId().equals(vmId) && v.phase() == VmPhase.RUNNING));
          long nanos = System.nanoTime() - t0;
          if (!up) throw new IllegalStateException(vmId + " did not reach Running");
          if (i > 0) cluster.add(nanos);  // the first one warms the node's code paths up
          if (i == runs) {
            // where the time goes: the last VM's events, in ms after the Create was sent
            long wall0 = System.currentTimeMillis() - nanos / 1_000_000;
            StringBuilder t = new StringBuilder();
            for (var e : node.runtime.journal().history(io.actorvmm.runtime.view.EntityType.parseRef("vm:" + vmId))
                .toCompletableFuture().get(30, TimeUnit.SECONDS)) {
              t.append(e.event()).append(" +").append(java.time.Instant.parse(e.at()).toEpochMilli() - wall0).append(' ');
            }
            timeline = t.toString().trim() + "; seen Running by the inventory +" + nanos / 1_000_000;
          }
          ref.<VmState>askWithStatus(r -> new VmEntity.Stop("bench", r), BenchNode.ASK)
              .toCompletableFuture().get(60, TimeUnit.SECONDS);
          BenchNode.waitUntil(Duration.ofSeconds(60), () -> node.runtime.journal().inventory().vms()
              .stream().anyMatch(v -> v.vmId().equals(vmId) && v.phase() == VmPhase.STOPPED));
        }
      }
    }
    double fig = Stats.median(cluster) / 1e6;
    double base = Stats.median(direct) / 1e6;
    report.figure(fig, "ms", String.format("median cold start of a QEMU VM (TCG, 128 MiB) to Running through the "
            + "cluster, %d runs", runs))
        .baseline(base, String.format("median of the same on the QEMU adapter alone (define, qemu-img, QEMU, QMP "
            + "running), %d runs", runs))
        .target("measured (the issue sets no target for the cold start)", true)
        .note("cluster runs (ms): %s; adapter runs (ms): %s", Stats.millis(cluster), Stats.millis(direct))
        .note("the last cluster run, ms after its Create was sent: %s", timeline)
        .note("live migration issued directly over QMP (running VM, 128 MiB, disk mirrored over NBD): total %s ms, "
            + "downtime reported by QEMU %s ms", migrations.stream().map(m -> Long.toString(m.totalMillis())).toList(),
            migrations.stream().map(m -> Long.toString(m.downtimeMillis())).toList());
    return report;
  }

}
