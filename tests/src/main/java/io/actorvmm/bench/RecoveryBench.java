package io.actorvmm.bench;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.placement.HostVerdict;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmEvent;
import io.actorvmm.runtime.vm.VmState;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Benchmark 3: replay rate of a large journal.
 *
 * <p>Writes E real, Pekko-serialized VM events (VmCreated, VmPlaced, VmCopyProgressed..., VmBooting,
 * VmRunning) for P persistence ids with raw JDBC batch inserts, restarts the node, and times the
 * recovery of the P VM entities through their event-sourced behavior (a {@code Get} each, answered
 * once recovered). Also times {@code currentEventsByPersistenceId} of the read journal. Baseline:
 * plain JDBC SELECTs of the same rows with the same columns and page size as the journal's replay.
 * The rows carry no tag, so the node's inventory read side does not fold them meanwhile.
 */
final class RecoveryBench {
  private RecoveryBench() {}

  static final double TARGET = 100_000;

  /** Events per second one thread deserializes with the node's serialization (the CPU floor of replay). */
  private static double deserializeRate(BenchNode node, RawJournal.Row[] rows, int n) {
    var ser = org.apache.pekko.serialization.SerializationExtension.get(
        org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(node.system));
    long sink = 0;
    for (int i = 0; i < n / 4; i++) {  // warm-up
      RawJournal.Row r = rows[i % rows.length];
      sink += ser.deserialize(r.payload(), r.serId(), r.manifest()).get().hashCode();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      RawJournal.Row r = rows[i % rows.length];
      sink += ser.deserialize(r.payload(), r.serId(), r.manifest()).get().hashCode();
    }
    long nanos = System.nanoTime() - t0;
    if (sink == 42) System.out.print("");
    return n / (nanos / 1e9);
  }

  static Report run(Bench.Args a, String kind) throws Exception {
    int events = a.integer("events", 1_000_000);
    int entities = a.integer("entities", 10);
    int rawBatch = a.integer("raw-batch", 1000);
    int page = a.integer("page", 400);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 600));
    int perEntity = events / entities;
    if (perEntity < 4) throw new IllegalArgumentException("need at least 4 events per entity");
    long total = (long) perEntity * entities;
    String host = "bench-host-0";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < entities; i++) ids.add("replay-" + i);
    List<String> pids = ids.stream().map(id -> "Vm|" + id).toList();
    Report report = new Report("3 recovery", kind);
    try (BenchDb db = BenchDb.create(kind)) {
      NodeSettings s = BenchNode.settings(db).withHosts(List.of(host));
      long writeNanos;
      double deserRate;
      String dbName;
      // 1. write the journal (a node is up only for serialization and the schema)
      try (BenchNode node = BenchNode.start(s); Connection c = db.connect(s)) {
        dbName = db.describe(s);
        String writer = UUID.randomUUID().toString();
        EventMeta meta = EventMeta.now("bench");
        PlacementDecision decision = new PlacementDecision("x", host, "placed on " + host + ": 1 host, 1 passed",
            List.of(new HostVerdict(host, HostVerdict.Outcome.CHOSEN, null, null, 50)));
        List<List<RawJournal.Row>> fixed = new ArrayList<>();
        List<RawJournal.Row[]> progress = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
          String id = ids.get(e);
          String pid = pids.get(e);
          fixed.add(List.of(
              RawJournal.serialize(node.system, pid, 1, writer,
                  new VmEvent.VmCreated(id, BenchNode.SPEC, null, Set.of(), meta)),
              RawJournal.serialize(node.system, pid, 2, writer, new VmEvent.VmPlaced(id, host,
                  new PlacementDecision(id, host, decision.summary(), decision.verdicts()), meta)),
              RawJournal.serialize(node.system, pid, perEntity - 1, writer, new VmEvent.VmBooting(id, host, meta)),
              RawJournal.serialize(node.system, pid, perEntity, writer, new VmEvent.VmRunning(id, host, meta))));
          RawJournal.Row[] pr = new RawJournal.Row[100];
          for (int p = 0; p < 100; p++) {
            pr[p] = RawJournal.serialize(node.system, pid, 0, writer, new VmEvent.VmCopyProgressed(id, host, p, meta));
          }
          progress.add(pr);
        }
        writeNanos = RawJournal.insert(c, (int) total, i -> {
          int e = i / perEntity;
          long seq = i % perEntity + 1;
          if (seq <= 2) return fixed.get(e).get((int) seq - 1);
          if (seq >= perEntity - 1) return fixed.get(e).get((int) (seq - perEntity + 3));
          RawJournal.Row r = progress.get(e)[(int) (seq % 100)];
          return new RawJournal.Row(r.pid(), seq, r.writer(), r.timestamp(), r.adapterManifest(), r.payload(),
              r.serId(), r.manifest());
        }, rawBatch, null);
        deserRate = deserializeRate(node, progress.get(0), 200_000);
      }
      // 2. baseline: plain SELECTs of the same rows
      long rawRows;
      long rawNanos;
      try (Connection c = db.connect(s)) {
        RawJournal.selectAll(c, pids.subList(0, 1), page);  // warm-up: the JIT and the database's cache
        long t0 = System.nanoTime();
        rawRows = RawJournal.selectAll(c, pids, page);
        rawNanos = System.nanoTime() - t0;
      }
      if (rawRows != total) throw new IllegalStateException("raw select read " + rawRows + " rows, expected " + total);
      double raw = rawRows / (rawNanos / 1e9);

      // 3. a restarted node recovers the entities
      try (BenchNode node = BenchNode.start(s)) {
        long t0 = System.nanoTime();
        List<CompletableFuture<VmState>> answers = new ArrayList<>();
        for (String id : ids) {
          answers.add(node.sharding.entityRefFor(VmEntity.ENTITY_KEY, id)
              .<VmState>ask(VmEntity.Get::new, timeout).toCompletableFuture());
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(timeout.toSeconds(), TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        for (CompletableFuture<VmState> f : answers) {
          if (f.get().phase() != VmPhase.RUNNING) throw new IllegalStateException("recovered " + f.get());
        }
        double rate = total / (elapsed / 1e9);

        // the read journal's replay of the same persistence ids, all at once
        JdbcReadJournal reads = PersistenceQuery.get(node.system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        long q0 = System.nanoTime();
        List<CompletableFuture<Long>> counts = new ArrayList<>();
        for (String pid : pids) {
          counts.add(reads.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
              .runWith(Sink.fold(0L, (n, env) -> n + 1), node.system).toCompletableFuture());
        }
        long read = 0;
        for (CompletableFuture<Long> f : counts) read += f.get(timeout.toSeconds(), TimeUnit.SECONDS);
        long queryNanos = System.nanoTime() - q0;

        report.figure(rate, "events/s", String.format("%d VM entities recovered %,d events in %s", entities, total,
                BenchNode.secs(elapsed)))
            .baseline(raw, String.format("plain JDBC SELECT of the same rows, %d per query, 1 connection, after "
                + "reading one id's rows as warm-up: %s", page, BenchNode.secs(rawNanos)))
            .target(">= 100,000 events/s replayed", rate >= TARGET)
            .note("%s; journal written with raw JDBC batch inserts (batch %d) at %,.0f events/s", dbName, rawBatch,
                total / (writeNanos / 1e9))
            .note("read journal currentEventsByPersistenceId of all %d ids at once: %,d events in %s = %,.0f events/s",
                entities, read, BenchNode.secs(queryNanos), read / (queryNanos / 1e9))
            .note("Jackson CBOR deserialization of a VmCopyProgressed alone, one thread: %,.0f events/s", deserRate);
      }
    }
    return report;
  }
}
