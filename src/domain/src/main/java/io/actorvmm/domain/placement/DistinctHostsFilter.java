package io.actorvmm.domain.placement;

/**
 * Anti-affinity: a host must not hold a VM of an application the request must stay apart from (the
 * other replicas of its own application, or applications a rule names).
 */
public final class DistinctHostsFilter implements HostFilter {

  /** Short reason prefix, followed by the app: "broke anti-affinity of web". */
  public static final String BROKE = "broke anti-affinity of ";

  /** The filter's name. */
  @Override
  public String name() {
    return "distinct-hosts";
  }

  /** null when no VM on the host belongs to an app in distinctFromApps, else "broke anti-affinity of web (1 replica there)". */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    String app = clash(r, h);
    if (app == null) return null;
    int n = h.replicas(app);
    return BROKE + app + " (" + n + (n == 1 ? " replica" : " replicas") + " there)";
  }

  /** True when the host holds no VM of an app the request stays apart from. */
  @Override
  public boolean passes(PlacementContext c, HostCandidate h) {
    return c.distinctApps().length == 0 || !PlacementContext.runsAny(h, c.distinctApps());
  }

  /** "broke anti-affinity of APP"; with a single app (the usual replicas rule) built once per decision. */
  @Override
  public String shortReason(PlacementContext c, HostCandidate h) {
    if (passes(c, h)) return null;
    if (c.distinctApps().length == 1) return c.text(PlacementContext.Text.DISTINCT, r -> BROKE + r.distinctFromApps().iterator().next());
    return shortReason(c.request(), h);
  }

  /** "broke anti-affinity of APP" for the clashing app. */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    String app = clash(r, h);
    return app == null ? null : BROKE + app;
  }

  private static String clash(PlacementRequest r, HostCandidate h) {
    if (r.distinctFromApps().isEmpty() || h.apps().isEmpty()) return null;
    String first = null;
    // the smallest clashing name, so the same host always names the same application
    for (String app : r.distinctFromApps()) {
      if (h.runs(app) && (first == null || app.compareTo(first) < 0)) first = app;
    }
    return first;
  }

  /** The rule over host columns; the variant is the index of the smallest clashing app among the sorted apps. */
  static final ColumnFilter COLUMN = new ColumnFilter() {
    @Override
    public boolean handles(PlacementContext c) {
      return c.distinctApps().length <= VARIANTS;
    }

    @Override
    public int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts) {
      String[] apart = c.distinctApps();
      if (apart.length == 0) return n;
      long mask = 0;
      for (String a : apart) mask |= AppCounts.bitOf(a);
      long[] summary = cols.appSummary;
      AppCounts[] apps = cols.apps;
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        int clash = -1;
        if ((summary[i] & mask) != 0) {
          for (int a = 0; a < apart.length && clash < 0; a++) {
            if (apps[i].count(apart[a]) > 0) clash = a;
          }
        }
        if (clash < 0) {
          idx[kept++] = i;
        } else {
          rejectedBy[i] = code;
          counts[clash]++;
        }
      }
      return kept;
    }

    @Override
    public String shortReason(PlacementContext c, int variant) {
      if (c.distinctApps().length == 1) return c.text(PlacementContext.Text.DISTINCT, r -> BROKE + c.distinctApps()[0]);
      return BROKE + c.distinctApps()[variant];
    }
  };
}
