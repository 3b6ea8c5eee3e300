package io.actorvmm.domain.placement;

/** A host's security level must be at least the VM's. */
public final class SecurityLevelFilter implements HostFilter {

  /** Short reason prefix, followed by the level the VM needs. */
  public static final String BELOW = "below security level ";

  /** The filter's name. */
  @Override
  public String name() {
    return "security";
  }

  /** True when the host's level is at least the VM's. */
  @Override
  public boolean passes(PlacementContext c, HostCandidate h) {
    return h.spec().securityLevel() >= c.request().spec().securityLevel();
  }

  /** "below security level N", built once per decision. */
  @Override
  public String shortReason(PlacementContext c, HostCandidate h) {
    return passes(c, h) ? null : c.text(PlacementContext.Text.SECURITY, r -> BELOW + r.spec().securityLevel());
  }

  /** null when the host is secure enough, else its level and the VM's. */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    int needed = r.spec().securityLevel();
    int has = h.spec().securityLevel();
    return has >= needed ? null : "security level " + has + " is " + BELOW + needed;
  }

  /** "below security level N": hosts of different levels group together under the level the VM needs. */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    return reject(r, h) == null ? null : BELOW + r.spec().securityLevel();
  }

  /** The rule over host columns. */
  static final ColumnFilter COLUMN = new ColumnFilter() {
    @Override
    public int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts) {
      int needed = c.request().spec().securityLevel();
      int[] security = cols.security;
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        if (security[i] >= needed) {
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
      return c.text(PlacementContext.Text.SECURITY, r -> BELOW + r.spec().securityLevel());
    }
  };
}
