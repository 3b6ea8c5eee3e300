package io.actorvmm.bench;

import io.actorvmm.domain.VmPhase;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 2: the rate at which entities persist events, against raw JDBC batched inserts of the
 * same rows into the same {@code event_journal} (and {@code event_tag}) on the same database.
 *
 * <p>M VMs are created and started on one simulated host whose copy takes an hour, so each stays
 * Placed and accepts copy-progress reports. The measured phase tells each VM K reports (percent 1..K)
 * as its host's control program would; each one persists a {@code VmCopyProgressed} through the VM's
 * event-sourced behavior. The clock stops when every VM answers a {@code Get} queued behind its
 * reports, which it does only once all of them are persisted. Before it, the same round runs on M
 * other VMs ({@code --warmup-rounds}, default 1), so the measured phase does not pay for the JIT; the
 * raw baseline's insert likewise runs once (deleted again) before the measured one.
 */
final class JournalWriteBench {
  private JournalWriteBench() {}

  static Report run(Bench.Args a, String kind) throws Exception {
    int entities = a.integer("entities", 500);
    int perEntity = Math.min(100, a.integer("events-per-entity", 100));
    int rawBatch = a.integer("raw-batch", 400);
    int warmupRounds = a.integer("warmup-rounds", 1);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 300));
    String host = "bench-host-0";
    Report report = new Report("2 journal write rate", kind);
    try (BenchDb db = BenchDb.create(kind)) {
      NodeSettings s = BenchNode.settings(db).withHosts(List.of(host))
          .withCapacity(BenchNode.capacityFor(entities * (1 + warmupRounds)))
          .withDelays(Duration.ofHours(1), Duration.ofHours(1));
      try (BenchNode node = BenchNode.start(s); Connection c = db.connect(s)) {
        String dbName = db.describe(s);
        BenchNode.Drive d = node.drive("jw-", 0, entities, true, 256);
        if (d.failed() > 0) throw new IllegalStateException("setup failed: " + d.firstError());
        // warm-up: the whole round on other VMs, then one report per measured VM
        for (int w = 0; w < warmupRounds; w++) {
          String prefix = "jw-warm" + w + "-";
          BenchNode.Drive wd = node.drive(prefix, 0, entities, true, 256);
          if (wd.failed() > 0) throw new IllegalStateException("warm-up setup failed: " + wd.firstError());
          persistReports(node, prefix, entities, host, 1, perEntity, timeout);
        }
        persistReports(node, "jw-", entities, host, 1, 1, timeout);
        long before = RawJournal.maxOrdering(c);
        long t0 = System.nanoTime();
        persistReports(node, "jw-", entities, host, 2, perEntity, timeout);
        long elapsed = System.nanoTime() - t0;
        long events = (long) entities * (perEntity - 1);
        List<RawJournal.Row> rows = RawJournal.load(c, before);
        if (rows.size() != events) {
          throw new IllegalStateException("expected " + events + " new journal rows, found " + rows.size());
        }
        double rate = events / (elapsed / 1e9);

        // the baseline is warmed up like the entities: the same insert once, deleted, before the measured one
        for (int w = 0; w < warmupRounds; w++) {
          List<RawJournal.Row> warm = rows.stream().map(r -> r.withPid("RawWarm" + r.pid())).toList();
          RawJournal.insert(c, warm, rawBatch, "bench-raw");
          RawJournal.delete(c, "RawWarm%");
        }
        List<RawJournal.Row> copies = rows.stream().map(r -> r.withPid("Raw" + r.pid())).toList();
        long rawNanos = RawJournal.insert(c, copies, rawBatch, "bench-raw");
        RawJournal.delete(c, "Raw%");
        double raw = copies.size() / (rawNanos / 1e9);
        // diagnostic: the same rows written the way the plugin writes tagged events (row by row)
        List<RawJournal.Row> copies2 = rows.stream().map(r -> r.withPid("Raw2" + r.pid())).toList();
        long rowNanos = RawJournal.insertRowByRow(c, copies2, rawBatch, "bench-raw");
        RawJournal.delete(c, "Raw2%");
        double rowByRow = copies2.size() / (rowNanos / 1e9);
        int avgBytes = (int) rows.stream().mapToInt(r -> r.payload().length).average().orElse(0);

        report.figure(rate, "events/s", String.format("%,d VmCopyProgressed events persisted by %d VM entities in %s",
                events, entities, BenchNode.secs(elapsed)))
            .baseline(raw, String.format("raw JDBC batch insert (batch %d, 1 connection, with tag rows) of the same "
                + "%,d rows in %s", rawBatch, copies.size(), BenchNode.secs(rawNanos)))
            .target(">= 50% of raw", rate >= 0.5 * raw)
            .note("raw JDBC row by row (one INSERT ... RETURNING per event, tags batched, as pekko-persistence-jdbc "
                + "1.1 via Slick writes tagged events): %,.0f events/s", rowByRow)
            .note("%s, payload %d bytes/event, %d events in flight at most (one per entity)", dbName, avgBytes,
                entities);
      }
    }
    return report;
  }

  /** Tells every VM {@code prefix + i} the reports {@code from..to} and waits until each has persisted them all. */
  private static void persistReports(BenchNode node, String prefix, int entities, String host, int from, int to,
                                     Duration timeout) throws Exception {
    for (int p = from; p <= to; p++) {
      for (int i = 0; i < entities; i++) {
        node.sharding.entityRefFor(VmEntity.ENTITY_KEY, prefix + i)
            .tell(new VmEntity.AgentReport(host, VmPhase.COPYING, p, null));
      }
    }
    List<CompletableFuture<VmState>> answers = new ArrayList<>();
    for (int i = 0; i < entities; i++) {
      answers.add(node.sharding.entityRefFor(VmEntity.ENTITY_KEY, prefix + i)
          .<VmState>ask(VmEntity.Get::new, timeout).toCompletableFuture());
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(timeout.toSeconds(), TimeUnit.SECONDS);
    for (CompletableFuture<VmState> f : answers) {
      VmState st = f.get();
      if (st.copyPercent() != to) {
        throw new IllegalStateException("vm " + st.vmId() + " is at " + st.copyPercent() + "%, expected " + to);
      }
    }
  }
}
