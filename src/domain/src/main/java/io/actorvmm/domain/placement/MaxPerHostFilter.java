package io.actorvmm.domain.placement;

/** A host must hold fewer than {@link PlacementRequest#maxPerHost()} VMs of the request's app (0: no limit). */
public final class MaxPerHostFilter implements HostFilter {

  /** Short reason prefix, followed by the app: "reached max per host of web". */
  public static final String REACHED = "reached max per host of ";

  /** The filter's name. */
  @Override
  public String name() {
    return "max-per-host";
  }

  /** True when there is no limit, no app, or the host holds fewer than the limit. */
  @Override
  public boolean passes(PlacementContext c, HostCandidate h) {
    return fits(c.request(), h);
  }

  /** null when the host passes, else "reached max per host of web (2 of 2 there)". */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    if (fits(r, h)) return null;
    return REACHED + r.appId() + " (" + h.replicas(r.appId()) + " of " + r.maxPerHost() + " there)";
  }

  /** "reached max per host of APP", built once per decision. */
  @Override
  public String shortReason(PlacementContext c, HostCandidate h) {
    return fits(c.request(), h) ? null : c.text(PlacementContext.Text.MAX_PER_HOST, r -> REACHED + r.appId());
  }

  /** "reached max per host of APP". */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    return fits(r, h) ? null : REACHED + r.appId();
  }

  private static boolean fits(PlacementRequest r, HostCandidate h) {
    return r.maxPerHost() <= 0 || r.appId() == null || h.replicas(r.appId()) < r.maxPerHost();
  }

  /** The rule over host columns: the app's summary bit spares most hosts a lookup. */
  static final ColumnFilter COLUMN = new ColumnFilter() {
    @Override
    public int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts) {
      PlacementRequest r = c.request();
      if (r.maxPerHost() <= 0 || r.appId() == null) return n;
      String app = r.appId();
      int max = r.maxPerHost();
      long bit = AppCounts.bitOf(app);
      long[] summary = cols.appSummary;
      AppCounts[] apps = cols.apps;
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        if ((summary[i] & bit) == 0 || apps[i].count(app) < max) {
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
      return c.text(PlacementContext.Text.MAX_PER_HOST, r -> REACHED + r.appId());
    }
  };
}
