package io.actorvmm.domain.placement;

/** A host must offer the runtime type the VM runs on. */
public final class RuntimeFilter implements HostFilter {

  /** Reason prefix, followed by the runtime the VM asks for. */
  public static final String MISSING = "does not offer runtime ";

  /** The filter's name. */
  @Override
  public String name() {
    return "runtime";
  }

  /** True when the host lists the VM's runtime. */
  @Override
  public boolean passes(PlacementContext c, HostCandidate h) {
    String runtime = c.request().spec().runtime();
    return runtime != null && h.spec().runtimes().contains(runtime);
  }

  /** "does not offer runtime X", built once per decision. */
  @Override
  public String shortReason(PlacementContext c, HostCandidate h) {
    return passes(c, h) ? null : c.text(PlacementContext.Text.RUNTIME, r -> MISSING + r.spec().runtime());
  }

  /** null when the host lists the VM's runtime, else "does not offer runtime X". */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    String runtime = r.spec().runtime();
    // immutable lists throw on contains(null); a VM without a runtime fits nowhere
    boolean offered = runtime != null && h.spec().runtimes().contains(runtime);
    return offered ? null : MISSING + runtime;
  }

  /** The rule over host columns: one bit per runtime. */
  static final ColumnFilter COLUMN = new ColumnFilter() {
    @Override
    public int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts) {
      String runtime = c.request().spec().runtime();
      long bit = cols.runtimeBit(runtime);
      long[] runtimes = cols.runtimes;
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        boolean ok = bit == HostColumns.MORE_RUNTIMES
            // past the first 63 runtimes the bit only says "some later one": ask the host's own list
            ? (runtimes[i] & bit) != 0 && c.hostAt(i).spec().runtimes().contains(runtime)
            : (runtimes[i] & bit) != 0;
        if (ok) {
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
      return c.text(PlacementContext.Text.RUNTIME, r -> MISSING + r.spec().runtime());
    }
  };
}
