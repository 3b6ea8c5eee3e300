package io.actorvmm.api.model;

/**
 * The body of POST /api/placement/what-if: one scenario. {@code kind} is {@code lose-host} or
 * {@code drain-host} (with {@code host}), {@code distinct-hosts} (with {@code app}),
 * {@code max-per-host} or {@code more-replicas} (with {@code app} and {@code count}). {@code service}
 * names the service whose rules change; it may be left out when only one service has the application.
 */
public record WhatIfRequest(String kind, String host, String service, String app, Integer count) {

  /** The kind that loses a host: its VMs restart elsewhere where their data allows. */
  public static final String LOSE_HOST = "lose-host";
  /** The kind that drains a host: its VMs move elsewhere with their data. */
  public static final String DRAIN_HOST = "drain-host";
  /** The kind that adds a distinct-hosts rule for an application. */
  public static final String DISTINCT_HOSTS = "distinct-hosts";
  /** The kind that adds a max-per-host rule for an application. */
  public static final String MAX_PER_HOST = "max-per-host";
  /** The kind that adds replicas to an application. */
  public static final String MORE_REPLICAS = "more-replicas";

  /** Losing {@code host}. */
  public static WhatIfRequest loseHost(String host) {
    return new WhatIfRequest(LOSE_HOST, host, null, null, null);
  }

  /** Draining {@code host}. */
  public static WhatIfRequest drainHost(String host) {
    return new WhatIfRequest(DRAIN_HOST, host, null, null, null);
  }
}
