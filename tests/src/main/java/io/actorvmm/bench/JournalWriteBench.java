package io.actorvmm.bench;

import io.actorvmm.domain.VmPhase;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.view.Inventory;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Benchmark 2: the rate at which entities persist events, against raw JDBC batched inserts of the
 * same rows into the same {@code event_journal} (and {@code event_tag}) on the same database.
 *
 * <p>A round: M new VMs are created and started on one simulated host whose copy takes an hour, so
 * each stays Placed and accepts copy-progress reports; each is told one report (untimed, so every
 * entity is running), then the timed part tells each VM K-1 more, as its host's control program
 * would. Each report persists a {@code VmCopyProgressed} through the VM's event-sourced behavior;
 * the clock stops when every VM answers a {@code Get} queued behind its reports.
 *
 * <p>Warm-up rounds run until the JIT compiler is quiet (its time during a round's timed part below
 * {@code --warmup-jit-pct} percent of it) or {@code --warmup-rounds} have run (see {@link Jit}).
 * Then {@code --rounds} measured rounds alternate with raw inserts of the rows each round wrote, so
 * both sides see the same state of the machine and the database; the figure and the baseline are
 * the medians. Between measurements the node's inventory
 * read side catches up with the journal, so no measurement pays for the previous one's reading.
 */
final class JournalWriteBench {
  private JournalWriteBench() {}

  private static final String HOST = "bench-host-0";

  /**
   * One timed entity round: its rate; its rate counting until the node's read side had read every
   * event too; the compiler's share of its time; how far the read side lagged when its clock stopped.
   */
  private record Round(double rate, double rateWithReadSide, double jitShare, long readLag,
                       List<RawJournal.Row> rows) {}

  static Report run(Bench.Args a, String kind) throws Exception {
    int entities = a.integer("entities", 500);
    int perEntity = Math.min(100, a.integer("events-per-entity", 100));
    int rawBatch = a.integer("raw-batch", 400);
    int rounds = Math.max(1, a.integer("rounds", 5));
    int maxWarmup = a.integer("warmup-rounds", 15);
    int jitPct = a.integer("warmup-jit-pct", 10);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 300));
    Report report = new Report("2 journal write rate", kind);
    try (BenchDb db = BenchDb.create(kind)) {
      NodeSettings s = BenchNode.settings(db).withHosts(List.of(HOST))
          .withCapacity(BenchNode.capacityFor((long) entities * (maxWarmup + rounds)))
          .withDelays(Duration.ofHours(1), Duration.ofHours(1));
      try (BenchNode node = BenchNode.start(s); Connection c = db.connect(s)) {
        String dbName = db.describe(s);
        Jit.Warmup warmup = Jit.warmUp(maxWarmup, jitPct,
            w -> round(node, c, "jw-warm" + w + "-", entities, perEntity, timeout).jitShare());

        List<Double> rates = new ArrayList<>();
        List<Double> raws = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> jitShares = new ArrayList<>();
        List<Long> lags = new ArrayList<>();
        List<Double> withReads = new ArrayList<>();
        List<RawJournal.Row> lastRows = List.of();
        for (int r = 0; r < rounds; r++) {
          Round m = round(node, c, "jw-" + r + "-", entities, perEntity, timeout);
          if (r == 0) {
            // the baseline's code is warmed up too: the same insert once, deleted again
            RawJournal.insert(c, withPrefix(m.rows(), "RawWarm"), rawBatch, "bench-raw");
            RawJournal.delete(c, "RawWarm%");
          }
          List<RawJournal.Row> copies = withPrefix(m.rows(), "Raw");
          long rawNanos = RawJournal.insert(c, copies, rawBatch, "bench-raw");
          RawJournal.delete(c, "Raw%");
          double raw = copies.size() / (rawNanos / 1e9);
          rates.add(m.rate());
          raws.add(raw);
          ratios.add(m.rate() / raw);
          jitShares.add(m.jitShare());
          lags.add(m.readLag());
          withReads.add(m.rateWithReadSide());
          lastRows = m.rows();
        }
        // diagnostic: the same rows written the way the plugin writes tagged events (row by row)
        List<RawJournal.Row> copies2 = withPrefix(lastRows, "Raw2");
        long rowNanos = RawJournal.insertRowByRow(c, copies2, rawBatch, "bench-raw");
        RawJournal.delete(c, "Raw2%");
        double rowByRow = copies2.size() / (rowNanos / 1e9);
        int avgBytes = (int) lastRows.stream().mapToInt(r -> r.payload().length).average().orElse(0);

        double rate = Stats.median(rates);
        double raw = Stats.median(raws);
        long events = (long) entities * (perEntity - 1);
        report.figure(rate, "events/s", String.format(Locale.ROOT, "median of %d rounds, each %,d VmCopyProgressed "
                + "events persisted by %d new VM entities", rounds, events, entities))
            .baseline(raw, String.format(Locale.ROOT, "median of raw JDBC batch inserts (batch %d, 1 connection, with "
                + "tag rows) of each round's %,d rows, right after the round", rawBatch, events))
            .target(">= 50% of raw", rate >= 0.5 * raw)
            .note("rounds (entities / raw events/s = ratio): %s", perRound(rates, raws, ratios))
            .note("median of the rounds' ratios %.2f", Stats.median(ratios))
            .note("warm-up on other VMs: %s; measured rounds: JIT time %s of their time", warmup.describe(),
                percents(jitShares))
            .note("read side (inventory) behind by %s events when each round's clock stopped; timed until it had "
                + "read them all too, the rounds' median is %,.0f events/s (ratio %.2f); it caught up before each raw "
                + "insert", lags.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                Stats.median(withReads), Stats.median(withReads) / raw)
            .note("raw JDBC row by row (one INSERT ... RETURNING per event, tags batched, as pekko-persistence-jdbc "
                + "1.1 via Slick writes tagged events): %,.0f events/s", rowByRow)
            .note("%s, payload %d bytes/event, %d events in flight at most (one per entity)", dbName, avgBytes,
                entities);
      }
    }
    return report;
  }

  /**
   * Creates and starts {@code entities} VMs {@code prefix + i}, gives each its first report, then
   * times reports 2..{@code perEntity}; returns once the node's read side has caught up.
   */
  private static Round round(BenchNode node, Connection c, String prefix, int entities,
                             int perEntity, Duration timeout) throws Exception {
    BenchNode.Drive d = node.drive(prefix, 0, entities, true, 256);
    if (d.failed() > 0) throw new IllegalStateException("setup of " + prefix + " failed: " + d.firstError());
    persistReports(node, prefix, entities, 1, 1, timeout);
    awaitReadSide(node, RawJournal.maxOrdering(c));
    long before = RawJournal.maxOrdering(c);
    Jit.Watch watch = Jit.watch();
    persistReports(node, prefix, entities, 2, perEntity, timeout);
    long elapsed = watch.nanos();
    double jitShare = watch.share();
    long last = RawJournal.maxOrdering(c);
    long lag = Math.max(0, last - inventory(node).offset());
    awaitReadSide(node, last);
    long elapsedRead = watch.nanos();
    long events = (long) entities * (perEntity - 1);
    List<RawJournal.Row> rows = RawJournal.load(c, before);
    if (rows.size() != events) {
      throw new IllegalStateException("expected " + events + " new journal rows, found " + rows.size());
    }
    return new Round(events / (elapsed / 1e9), events / (elapsedRead / 1e9), jitShare, lag, rows);
  }

  private static Inventory inventory(BenchNode node) {
    return node.runtime.journal().inventory();
  }

  /** Waits until the node's inventory has read the journal up to {@code ordering} (every event is tagged). */
  private static void awaitReadSide(BenchNode node, long ordering) {
    if (!BenchNode.waitUntil(Duration.ofSeconds(60), () -> inventory(node).offset() >= ordering)) {
      throw new IllegalStateException("the inventory read side is at ordering " + inventory(node).offset()
          + ", not " + ordering + ", after 60 s");
    }
  }

  /** Tells every VM {@code prefix + i} the reports {@code from..to} and waits until each has persisted them all. */
  private static void persistReports(BenchNode node, String prefix, int entities, int from, int to,
                                     Duration timeout) throws Exception {
    for (int p = from; p <= to; p++) {
      for (int i = 0; i < entities; i++) {
        node.sharding.entityRefFor(VmEntity.ENTITY_KEY, prefix + i)
            .tell(new VmEntity.AgentReport(HOST, VmPhase.COPYING, p, null));
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

  private static List<RawJournal.Row> withPrefix(List<RawJournal.Row> rows, String prefix) {
    return rows.stream().map(r -> r.withPid(prefix + r.pid())).toList();
  }

  private static String perRound(List<Double> rates, List<Double> raws, List<Double> ratios) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rates.size(); i++) {
      out.add(String.format(Locale.ROOT, "%,.0f / %,.0f = %.2f", rates.get(i), raws.get(i), ratios.get(i)));
    }
    return String.join("; ", out);
  }

  private static String percents(List<Double> shares) {
    return shares.stream().map(x -> String.format(Locale.ROOT, "%.0f%%", x * 100)).collect(Collectors.joining(", "));
  }
}
