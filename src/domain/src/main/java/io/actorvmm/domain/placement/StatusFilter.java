package io.actorvmm.domain.placement;

import io.actorvmm.domain.HostStatus;

/** Only an Up host accepts new VMs. */
public final class StatusFilter implements HostFilter {

  /** Reason for a host that is down. */
  public static final String DOWN = "host is down";
  /** Reason for a host in maintenance. */
  public static final String MAINTENANCE = "host is in maintenance";
  /** Reason for a host whose status nobody has reported. */
  public static final String UNKNOWN = "host status is unknown";

  private static final String SHORT_DOWN = DOWN.substring("host ".length());
  private static final String SHORT_MAINTENANCE = MAINTENANCE.substring("host ".length());
  private static final String SHORT_UNKNOWN = UNKNOWN.substring("host ".length());

  /** The filter's name. */
  @Override
  public String name() {
    return "status";
  }

  /** null for an Up host, else why its status keeps it out. */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    if (h.status() == HostStatus.UP) return null;
    if (h.status() == null) return UNKNOWN;  // no status yet: do not risk placing on it
    return h.status() == HostStatus.DOWN ? DOWN : MAINTENANCE;
  }

  /** True for an Up host. */
  @Override
  public boolean passes(PlacementContext c, HostCandidate h) {
    return h.status() == HostStatus.UP;
  }

  /** The reason without its leading "host ", the key a summary groups by: "is down". */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    String reason = reject(r, h);
    if (reason == null) return null;
    // constants, so a summary over thousands of hosts does not build a string per host
    if (reason == DOWN) return SHORT_DOWN;
    return reason == MAINTENANCE ? SHORT_MAINTENANCE : SHORT_UNKNOWN;
  }

  /** The rule over host columns; variants are the status codes. */
  static final ColumnFilter COLUMN = new ColumnFilter() {
    @Override
    public int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts) {
      byte[] status = cols.status;
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        byte s = status[i];
        if (s == HostColumns.UP) {
          idx[kept++] = i;
        } else {
          rejectedBy[i] = code;
          counts[s]++;
        }
      }
      return kept;
    }

    @Override
    public String shortReason(PlacementContext c, int variant) {
      return variant == HostColumns.DOWN ? SHORT_DOWN : variant == HostColumns.MAINTENANCE ? SHORT_MAINTENANCE : SHORT_UNKNOWN;
    }
  };
}
