package io.actorvmm.domain.placement;

import java.util.List;

/**
 * Affinity (keep together): when any host runs a VM of an application the request names in
 * {@link PlacementRequest#affinityApps()}, the VM must go to a host that runs one of them. When no
 * host runs any yet (the first of the group to be placed), every host passes.
 *
 * <p>Whether any host runs one is a fact about the whole cluster, which one host cannot tell: the
 * engine finds it once per decision and hands it over in {@link PlacementContext#affinityRunning()}.
 * The request-only forms judge the host as if it were the whole cluster.
 */
public final class AffinityFilter implements HostFilter {

  /** Short reason prefix, followed by the apps joined by "/": "broke affinity with cache/db". */
  public static final String BROKE = "broke affinity with ";

  /** The filter's name. */
  @Override
  public String name() {
    return "affinity";
  }

  /** True when the request has no affinity, none of its apps runs anywhere, or the host runs one. */
  @Override
  public boolean passes(PlacementContext c, HostCandidate h) {
    return !c.affinityRunning() || PlacementContext.runsAny(h, c.affinityApps());
  }

  /** null when the host passes, else "broke affinity with db (runs none of them)". */
  @Override
  public String reject(PlacementContext c, HostCandidate h) {
    return passes(c, h) ? null : BROKE + String.join("/", c.affinityApps()) + " (runs none of them)";
  }

  /** "broke affinity with APPS". */
  @Override
  public String shortReason(PlacementContext c, HostCandidate h) {
    return passes(c, h) ? null : c.text(PlacementContext.Text.AFFINITY, r -> BROKE + String.join("/", new java.util.TreeSet<>(r.affinityApps())));
  }

  /** The host judged as the whole cluster: with none of the apps on it, nothing binds. */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    return reject(PlacementContext.of(r, List.of(h)), h);
  }

  /** The short reason with the host judged as the whole cluster. */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    return shortReason(PlacementContext.of(r, List.of(h)), h);
  }

  /** The rule over host columns. */
  static final ColumnFilter COLUMN = new ColumnFilter() {
    @Override
    public int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts) {
      if (!c.affinityRunning()) return n;
      String[] together = c.affinityApps();
      long mask = 0;
      for (String a : together) mask |= AppCounts.bitOf(a);
      long[] summary = cols.appSummary;
      AppCounts[] apps = cols.apps;
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        boolean runs = false;
        if ((summary[i] & mask) != 0) {
          for (int a = 0; a < together.length && !runs; a++) runs = apps[i].count(together[a]) > 0;
        }
        if (runs) {
          idx[kept++] = i;
        } else {
          rejectedBy[i] = code;
          counts[0]++;
        }
      }
      return kept;
    }

    @Override
    public String shortReason(PlacementContext c, int variant) {
      return c.text(PlacementContext.Text.AFFINITY, r -> BROKE + String.join("/", new java.util.TreeSet<>(r.affinityApps())));
    }
  };
}
