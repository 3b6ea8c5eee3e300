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

  /** The reason without its leading "host ", the key a summary groups by: "is down". */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    String reason = reject(r, h);
    return reason == null ? null : reason.substring("host ".length());
  }
}
