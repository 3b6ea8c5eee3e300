package io.actorvmm.bench;

import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.scheduler.Scheduler;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Benchmark 1: VMs reaching Running per second on one node with simulated hosts at zero delay.
 *
 * <p>After warm-up rounds of the same on other VMs until the JIT compiler is quiet (see {@link Jit}),
 * sends {@code Create} then {@code Start} to N VMs through sharding with bounded concurrency, and
 * stops the clock when the node's inventory read side (what {@code avm vm list} shows) has all N
 * Running. Baseline: raw JDBC batched inserts, on the same database in the same
 * run, of exactly the rows the measured VMs' lifecycle wrote (VM and host events, with tag rows):
 * the rate the node could reach if journal writes were all it did.
 */
final class VmThroughputBench {
  private VmThroughputBench() {}

  static final double TARGET = 1000;

  static Report run(Bench.Args a, String kind) throws Exception {
    int hosts = a.integer("hosts", 20);
    int vms = a.integer("vms", 5000);
    int warm = a.integer("warmup", 2500);
    int maxWarmup = a.integer("warmup-rounds", 30);
    int jitPct = a.integer("warmup-jit-pct", 10);
    int concurrency = a.integer("concurrency", 256);
    int hostVms = a.integer("host-vms", vms + warm);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 300));
    int rawBatch = a.integer("raw-batch", 400);
    boolean phased = a.integer("phased", 0) != 0;
    Report report = new Report("1 VM throughput", kind);
    try (BenchDb db = BenchDb.create(kind)) {
      NodeSettings s = BenchNode.settings(db).withHosts(BenchNode.hostIds(hosts))
          .withCapacity(BenchNode.capacityFor(hostVms));
      try (BenchNode node = BenchNode.start(s); Connection c = db.connect(s)) {
        String dbName = db.describe(s);
        // warm-up: same path, other ids
        Jit.Warmup warmup = Jit.warmUp(maxWarmup, jitPct, i -> {
          String prefix = "warm" + i + "-";
          Jit.Watch watch = Jit.watch();
          BenchNode.Drive w = node.drive(prefix, 0, warm, true, concurrency);
          if (!BenchNode.waitUntil(timeout, () -> node.runningInInventory(prefix) >= w.ok())) {
            throw new IllegalStateException("warm-up VMs did not all reach Running");
          }
          return watch.share();
        });
        // diagnostic: how fast one host entity takes reservations on its own (placements on a host are
        // serialized by its persists, and the pack scorer sends consecutive VMs to the same host); the
        // reservations are released again before the measured run
        int diag = Math.min(hostVms, a.integer("diag-reserves", 1000));
        double hostRate = hostReserveRate(node, BenchNode.hostIds(hosts).get(hosts - 1), diag);

        long before = RawJournal.maxOrdering(c);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
            .getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.currentTimeMillis();
        Jit.Watch jit = Jit.watch();
        long t0 = System.nanoTime();
        BenchNode.Drive d;
        long createdNanos = -1;
        if (phased) {
          // diagnostic: all Creates first, then all Starts
          BenchNode.Drive created = node.drive("vm-", 0, vms, false, concurrency);
          createdNanos = System.nanoTime() - t0;
          Probe probe = new Probe(node, BenchNode.hostIds(hosts).get(0), BenchNode.hostIds(hosts).get(hosts - 1));
          probe.start();
          d = node.startOnly("vm-", 0, vms, concurrency);
          probe.finish();
          report.note("phased: during the Starts, queueing delay seen by a probe every 100 ms: scheduler %s, "
              + "host %s; one Reserve at an idle host %s", probe.scheduler, probe.host, probe.idle);
          d = new BenchNode.Drive(d.ok(), d.failed() + created.failed(), d.firstError() != null ? d.firstError()
              : created.firstError(), d.nanos());
        } else {
          d = node.drive("vm-", 0, vms, true, concurrency);
        }
        long placed = System.nanoTime() - t0;
        boolean all = BenchNode.waitUntil(timeout, () -> node.runningInInventory("vm-") >= vms);
        long elapsed = System.nanoTime() - t0;
        long cpuNanos = os.getProcessCpuTime() - cpu0;
        double jitShare = jit.share();
        long running = node.runningInInventory("vm-");
        long lastRunningWritten = lastRunning(c) - wall0;
        double rate = running / (elapsed / 1e9);

        // baseline: the same rows, written raw
        List<RawJournal.Row> rows = RawJournal.load(c, before);
        List<RawJournal.Row> copies = rows.stream().map(r -> r.withPid("Raw" + r.pid())).toList();
        long rawNanos = RawJournal.insert(c, copies, rawBatch, "bench-raw");
        RawJournal.delete(c, "Raw%");
        double rawEventsPerSec = copies.size() / (rawNanos / 1e9);
        double eventsPerVm = rows.size() / (double) vms;
        double baseline = rawEventsPerSec / eventsPerVm;

        report.figure(rate, "VMs/s", String.format("%d of %d VMs Running in %s, observed in the inventory read side",
                running, vms, BenchNode.secs(elapsed)))
            .baseline(baseline, String.format("raw JDBC batch insert (batch %d, 1 connection) of the run's %d rows"
                + " = %.1f events/VM: %,.0f events/s", rawBatch, rows.size(), eventsPerVm, rawEventsPerSec))
            .target(">= 1,000 VMs/s reach Running", all && d.failed() == 0 && rate >= TARGET)
            .note("%s, %d hosts (capacity %d VMs each), concurrency %d", dbName, hosts, hostVms, concurrency)
            .note("warm-up of %d VMs a round: %s; while measured, JIT time %.0f%% of the time", warm,
                warmup.describe(), jitShare * 100)
            .note("all Start commands answered (placed) after %s: %,.0f VMs/s placed", BenchNode.secs(placed),
                vms / (placed / 1e9))
            .note("last VmRunning event written %.2f s after the first Create (%,.0f VMs/s by the journal)",
                lastRunningWritten / 1e3, vms / (lastRunningWritten / 1e3))
            .note("entity events persisted: %,d in %s = %,.0f events/s", rows.size(), BenchNode.secs(elapsed),
                rows.size() / (elapsed / 1e9))
            .note("CPU used by the node's JVM (H2 runs inside it) while measured: %.1f core-seconds = %.2f ms per VM,"
                + " %.2f of %d cores busy", cpuNanos / 1e9, cpuNanos / 1e6 / vms, cpuNanos / (double) elapsed,
                Runtime.getRuntime().availableProcessors());
        report.note("one host entity alone takes %,.0f reservations/s (%d concurrent Reserve commands sent straight "
            + "to it)", hostRate, diag);
        if (phased) {
          report.note("phased: %d Creates took %s (%,.0f VMs/s), then %d Starts (placements) took %s (%,.0f VMs/s)",
              vms, BenchNode.secs(createdNanos), vms / (createdNanos / 1e9), vms, BenchNode.secs(placed - createdNanos),
              vms / ((placed - createdNanos) / 1e9));
        }
        if (d.failed() > 0) report.note("%d VMs failed: %s", d.failed(), d.firstError());
        if (!all) report.note("timed out after %s", timeout);
      }
    }
    return report;
  }

  /**
   * Every 100 ms: how long a placement that fits nowhere (no side effect) waits at the scheduler, how
   * long a {@code Get} waits at the host being filled, and how long one Reserve (released again)
   * takes at an idle host, i.e. one host persist round trip under the run's load.
   */
  private static final class Probe extends Thread {
    private final BenchNode node;
    private final String hostId;
    private final String idleHostId;
    private volatile boolean running = true;
    final List<Long> idleMs = new ArrayList<>();
    String idle = "";
    final List<Long> schedulerMs = new ArrayList<>();
    final List<Long> hostMs = new ArrayList<>();
    String scheduler = "";
    String host = "";

    Probe(BenchNode node, String hostId, String idleHostId) {
      this.node = node;
      this.hostId = hostId;
      this.idleHostId = idleHostId;
      setDaemon(true);
    }

    @Override
    public void run() {
      var huge = new VmSpec(Integer.MAX_VALUE / 2, Long.MAX_VALUE / 4, 0, 0, "simulated", "p",
          true, 0);
      var hostRef = node.sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId);
      while (running) {
        try {
          long t0 = System.nanoTime();
          AskPattern.<Scheduler.Command,
                  Scheduler.PlaceResult>ask(node.runtime.scheduler(),
                  r -> new Scheduler.Place("probe", huge, null, Set.of(), "b", r),
                  Duration.ofSeconds(30), node.system.scheduler()).toCompletableFuture().get();
          long t1 = System.nanoTime();
          hostRef.<HostState>ask(HostEntity.Get::new,
              Duration.ofSeconds(30)).toCompletableFuture().get();
          long t2 = System.nanoTime();
          var idleRef = node.sharding.entityRefFor(HostEntity.ENTITY_KEY, idleHostId);
          String vm = "probe-" + t2;
          idleRef.<HostState>askWithStatus(r -> new HostEntity
              .Reserve(vm, null, BenchNode.SPEC.demand(), Set.of(), "b", r), Duration.ofSeconds(30))
              .toCompletableFuture().get();
          long t3 = System.nanoTime();
          idleRef.tell(new HostEntity.Release(vm, "probe", "b", node.system.ignoreRef()));
          idleMs.add((t3 - t2) / 1_000_000);
          schedulerMs.add((t1 - t0) / 1_000_000);
          hostMs.add((t2 - t1) / 1_000_000);
          Thread.sleep(100);
        } catch (Exception e) {
          return;
        }
      }
    }

    void finish() throws InterruptedException {
      running = false;
      join();
      scheduler = summary(schedulerMs);
      host = summary(hostMs);
      idle = summary(idleMs);
    }

    private static String summary(List<Long> ms) {
      if (ms.isEmpty()) return "n/a";
      var sorted = ms.stream().sorted().toList();
      return String.format("median %d ms, max %d ms (%d probes)", sorted.get(sorted.size() / 2),
          sorted.get(sorted.size() - 1), sorted.size());
    }
  }

  private static double hostReserveRate(BenchNode node, String hostId, int n) throws Exception {
    var host = node.sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId);
    List<CompletableFuture<?>> answers = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String vm = "diag-" + i;
      answers.add(host.<HostState>askWithStatus(r -> new HostEntity
          .Reserve(vm, null, BenchNode.SPEC.demand(), Set.of(), "bench", r), BenchNode.ASK)
          .toCompletableFuture());
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .get(120, TimeUnit.SECONDS);
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    answers.clear();
    for (int i = 0; i < n; i++) {
      String vm = "diag-" + i;
      answers.add(host.<HostState>askWithStatus(r -> new HostEntity
          .Release(vm, "diagnostic over", "bench", r), BenchNode.ASK).toCompletableFuture());
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .get(120, TimeUnit.SECONDS);
    return rate;
  }

  private static long lastRunning(Connection c) throws Exception {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT max(\"write_timestamp\") FROM \"event_journal\" "
             + "WHERE \"persistence_id\" LIKE 'Vm|vm-%' AND \"event_ser_manifest\" LIKE '%VmRunning'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
