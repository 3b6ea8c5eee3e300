package io.actorvmm.domain.placement;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Places a VM: hosts failing a filter are rejected, the rest are scored by a placement policy, and the
 * best one is chosen (highest score, ties by host id).
 *
 * <p>One decision looks at every host once. The built-in filters and scorers run over {@link HostColumns},
 * plain arrays the engine keeps in step with the hosts it is given (only hosts whose view object changed
 * since the previous decision are read again), one filter at a time over the hosts still in the race.
 * Per host a decision records only the rejecting filter's index or the total score; the readable
 * verdicts are built when first read (see {@link PlacementDecision}). Large clusters are evaluated in
 * parallel chunks on the common fork-join pool; the result does not depend on the chunking. An engine
 * may be shared between threads.
 */
public final class PlacementEngine {

  /** Below this many hosts a decision runs on the calling thread only. */
  public static final int PARALLEL_MIN_HOSTS = 4096;

  private static final Comparator<String> BY_ID = Comparator.nullsLast(Comparator.naturalOrder());
  private static final HostCandidate[] NO_HOSTS = new HostCandidate[0];

  private final HostFilter[] filters;
  private final ColumnFilter[] columnFilters;
  private final PlacementPolicy defaultPolicy;
  private final int parallelMinHosts;
  private final boolean columns;
  private final AtomicReference<HostColumns> cache = new AtomicReference<>();

  /** An engine applying {@code filters} in order and ranking survivors by the weighted {@code scorers} by default. */
  public PlacementEngine(List<HostFilter> filters, List<WeightedScorer> scorers) {
    this(filters, PlacementPolicy.of(scorers), PARALLEL_MIN_HOSTS);
  }

  /** An engine with a cluster default policy; clusters of at least {@code parallelMinHosts} hosts are split over cores. */
  public PlacementEngine(List<HostFilter> filters, PlacementPolicy defaultPolicy, int parallelMinHosts) {
    this(filters, defaultPolicy, parallelMinHosts, true);
  }

  private PlacementEngine(List<HostFilter> filters, PlacementPolicy defaultPolicy, int parallelMinHosts, boolean columns) {
    if (filters.size() > Byte.MAX_VALUE) throw new IllegalArgumentException("at most 127 filters");
    this.filters = filters.toArray(new HostFilter[0]);
    this.columnFilters = new ColumnFilter[this.filters.length];
    for (int f = 0; f < this.filters.length; f++) columnFilters[f] = columnFilterOf(this.filters[f]);
    this.defaultPolicy = Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    this.parallelMinHosts = Math.max(1, parallelMinHosts);
    this.columns = columns;
  }

  /** The pipeline every placement uses, with {@link PlacementPolicy#PACK} as the cluster default. */
  public static PlacementEngine standard() {
    return standard(PlacementPolicy.DEFAULT);
  }

  /** The standard filters with {@code clusterDefault} for services that name no policy. */
  public static PlacementEngine standard(PlacementPolicy clusterDefault) {
    return new PlacementEngine(standardFilters(), clusterDefault, PARALLEL_MIN_HOSTS);
  }

  /**
   * The standard filters in the order they run. Each host stops at its first rejection, so the cheapest
   * filters come first: status is one field, runtime a short list, security one comparison, site two
   * string checks, capacity arithmetic over four resources, and the three application rules look the
   * request's apps up in the host's per-application counts.
   */
  public static List<HostFilter> standardFilters() {
    return List.of(new StatusFilter(), new RuntimeFilter(), new SecurityLevelFilter(), new SiteFilter(),
        new CapacityFilter(), new MaxPerHostFilter(), new DistinctHostsFilter(), new AffinityFilter());
  }

  /** This engine with another parallel threshold (a very large one keeps every decision on the calling thread). */
  public PlacementEngine withParallelMinHosts(int n) {
    return new PlacementEngine(List.of(filters), defaultPolicy, n, columns);
  }

  /** This engine judging every host through its view objects only, without host columns; for tests that compare both. */
  PlacementEngine withoutColumns() {
    return new PlacementEngine(List.of(filters), defaultPolicy, parallelMinHosts, false);
  }

  /** The filters, in the order they run. */
  public List<HostFilter> filters() {
    return List.of(filters);
  }

  /** The policy {@link #decide(PlacementRequest, Collection)} ranks by. */
  public PlacementPolicy defaultPolicy() {
    return defaultPolicy;
  }

  /** Decides with the cluster default policy. */
  public PlacementDecision decide(PlacementRequest request, Collection<HostCandidate> hosts) {
    return decide(request, hosts, defaultPolicy);
  }

  /** Every host's verdict, the chosen host (best score under {@code policy}, ties by host id) and the summary. */
  public PlacementDecision decide(PlacementRequest request, Collection<HostCandidate> hosts, PlacementPolicy policy) {
    Objects.requireNonNull(request, "request");
    PlacementPolicy p = policy == null ? defaultPolicy : policy;
    HostCandidate[] hs = hosts == null ? NO_HOSTS : hosts.toArray(NO_HOSTS);
    int n = hs.length;
    // the columns are borrowed for this decision; a concurrent decision builds its own
    HostColumns cols = columns ? cache.getAndSet(null) : null;
    if (columns && cols == null) cols = new HostColumns();
    try {
      if (cols != null) cols.sync(hs);
      PlacementContext ctx = cols != null ? PlacementContext.of(request, hs, cols) : PlacementContext.of(request, hs);
      byte[] rejectedBy = new byte[n];
      double[] total = new double[n];
      Pass pass = new Pass(ctx, hs, cols, rejectedBy, total, p.scorers());
      Tally t = n >= parallelMinHosts ? pass.parallel() : pass.run(0, n);
      String chosen = t.best < 0 ? null : hs[t.best].hostId();
      String summary = PlacementSummary.of(chosen, n, t.passed, t.groups());
      return new PlacementDecision(request.vmId(), chosen, summary,
          new CompactVerdicts(ctx, hs, rejectedBy, total, t.best, filters, p.scorers()));
    } finally {
      if (cols != null) cache.set(cols);
    }
  }

  /** One decision's walk over the hosts; a chunk writes only its own slots of the shared arrays. */
  private final class Pass {
    private final PlacementContext ctx;
    private final HostCandidate[] hosts;
    private final HostColumns cols;
    private final byte[] rejectedBy;
    private final double[] total;
    private final HostScorer[] scorers;
    private final ColumnScorer[] columnScorers;
    private final double[] weights;
    private final double weightSum;

    Pass(PlacementContext ctx, HostCandidate[] hosts, HostColumns cols, byte[] rejectedBy, double[] total,
         List<WeightedScorer> ws) {
      this.ctx = ctx;
      this.hosts = hosts;
      this.cols = cols;
      this.rejectedBy = rejectedBy;
      this.total = total;
      this.scorers = new HostScorer[ws.size()];
      this.columnScorers = new ColumnScorer[ws.size()];
      this.weights = new double[ws.size()];
      double sum = 0;
      for (int i = 0; i < scorers.length; i++) {
        scorers[i] = ws.get(i).scorer();
        columnScorers[i] = cols == null ? null : columnScorerOf(scorers[i]);
        weights[i] = ws.get(i).weight();
        sum += weights[i];
      }
      this.weightSum = sum;
    }

    Tally parallel() {
      int parts = Math.min(ForkJoinPool.getCommonPoolParallelism() + 1, Math.max(1, hosts.length / 1024));
      if (parts <= 1) return run(0, hosts.length);
      int size = (hosts.length + parts - 1) / parts;
      @SuppressWarnings("unchecked")
      ForkJoinTask<Tally>[] forked = new ForkJoinTask[parts - 1];
      for (int k = 1; k < parts; k++) {
        int from = Math.min(hosts.length, k * size);
        int to = Math.min(hosts.length, from + size);
        forked[k - 1] = ForkJoinTask.adapt(() -> run(from, to)).fork();
      }
      // the calling thread takes the first chunk itself rather than waiting idle
      Tally t = run(0, Math.min(hosts.length, size));
      for (ForkJoinTask<Tally> f : forked) t.merge(f.join(), hosts);
      return t;
    }

    /**
     * Hosts [from, to): each filter in turn keeps the hosts that pass (cheap filters first, so later ones
     * see fewer hosts), the survivors are scored, the best is kept, and rejections are counted by reason.
     */
    Tally run(int from, int to) {
      int n = to - from;
      int[] idx = new int[n];
      for (int k = 0; k < n; k++) idx[k] = from + k;
      Tally t = new Tally();
      for (int f = 0; f < filters.length && n > 0; f++) {
        ColumnFilter cf = cols == null ? null : columnFilters[f];
        byte code = (byte) (f + 1);
        if (cf != null && cf.handles(ctx)) {
          int[] counts = new int[ColumnFilter.VARIANTS];
          n = cf.retain(ctx, cols, idx, n, rejectedBy, code, counts);
          // each distinct short reason is built once per decision, not once per rejected host
          for (int v = 0; v < counts.length; v++) if (counts[v] > 0) t.add(cf.shortReason(ctx, v), counts[v]);
        } else {
          n = retainByHost(f, idx, n, code, t);
        }
      }
      t.passed = n;
      score(idx, n);
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        if (t.best < 0 || better(total[i], i, t.bestScore, t.best, hosts)) {
          t.best = i;
          t.bestScore = total[i];
        }
      }
      return t;
    }

    private int retainByHost(int f, int[] idx, int n, byte code, Tally t) {
      HostFilter filter = filters[f];
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        if (filter.passes(ctx, hosts[i])) {
          idx[kept++] = i;
        } else {
          rejectedBy[i] = code;
          String key = filter.shortReason(ctx, hosts[i]);
          t.reject(key == null ? filter.name() : key);
        }
      }
      return kept;
    }

    private void score(int[] idx, int n) {
      if (weightSum == 0) return;  // every total stays 0
      for (int s = 0; s < scorers.length; s++) {
        if (columnScorers[s] != null) {
          columnScorers[s].add(ctx, cols, idx, n, weights[s], total);
          continue;
        }
        for (int k = 0; k < n; k++) {
          double v = scorers[s].score(ctx, hosts[idx[k]]);
          // a scorer that cannot tell (NaN) must not poison the ranking: it counts as no preference
          total[idx[k]] += weights[s] * (Double.isNaN(v) ? 0 : v);
        }
      }
      // a weighted average keeps the total on the scorers' 0..100 scale whatever the weights
      for (int k = 0; k < n; k++) total[idx[k]] /= weightSum;
    }
  }

  /** The column form of a built-in filter, or null for any other filter. */
  private static ColumnFilter columnFilterOf(HostFilter f) {
    if (f instanceof StatusFilter) return StatusFilter.COLUMN;
    if (f instanceof RuntimeFilter) return RuntimeFilter.COLUMN;
    if (f instanceof SecurityLevelFilter) return SecurityLevelFilter.COLUMN;
    if (f instanceof SiteFilter) return SiteFilter.COLUMN;
    if (f instanceof CapacityFilter) return CapacityFilter.COLUMN;
    if (f instanceof MaxPerHostFilter) return MaxPerHostFilter.COLUMN;
    if (f instanceof DistinctHostsFilter) return DistinctHostsFilter.COLUMN;
    if (f instanceof AffinityFilter) return AffinityFilter.COLUMN;
    return null;
  }

  /** The column form of a built-in scorer, or null for any other scorer. */
  private static ColumnScorer columnScorerOf(HostScorer s) {
    if (s instanceof PackScorer) return PackScorer.COLUMN;
    if (s instanceof SpreadScorer) return SpreadScorer.COLUMN;
    if (s instanceof CostScorer cost) return cost.column();
    return null;
  }

  private static boolean better(double score, int i, double bestScore, int best, HostCandidate[] hosts) {
    if (score != bestScore) return score > bestScore;
    return BY_ID.compare(hosts[i].hostId(), hosts[best].hostId()) < 0;
  }

  /** A chunk's counts: hosts passed, the best so far, and rejections grouped by short reason. */
  private static final class Tally {
    int passed;
    int best = -1;
    double bestScore;
    private String[] keys = new String[8];
    private int[] counts = new int[8];
    private int size;

    void reject(String key) {
      add(key, 1);
    }

    void add(String key, int n) {
      // few distinct reasons per decision, mostly the same constant strings: a linear scan beats hashing
      for (int i = 0; i < size; i++) {
        if (keys[i] == key || keys[i].equals(key)) {
          counts[i] += n;
          return;
        }
      }
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, size * 2);
        counts = java.util.Arrays.copyOf(counts, size * 2);
      }
      keys[size] = key;
      counts[size++] = n;
    }

    void merge(Tally o, HostCandidate[] hosts) {
      passed += o.passed;
      if (o.best >= 0 && (best < 0 || better(o.bestScore, o.best, bestScore, best, hosts))) {
        best = o.best;
        bestScore = o.bestScore;
      }
      for (int i = 0; i < o.size; i++) add(o.keys[i], o.counts[i]);
    }

    Map<String, Integer> groups() {
      Map<String, Integer> m = new HashMap<>();
      for (int i = 0; i < size; i++) m.put(keys[i], counts[i]);
      return m;
    }
  }
}
