package io.actorvmm.api.model;

import java.util.List;
import java.util.Map;

/**
 * A VM's last placement decision, explained: the VM's phase and host, the application and service
 * whose rules it follows, the placement policy used ({@code policyDefault} when it is the cluster
 * default), the one-line summary, why it waits when it is pending ({@code waiting}, else null), and
 * one row per host, best first.
 */
public record PlacementExplain(String vmId, String phase, String hostId, String appId, String service, String policy,
                               boolean policyDefault, String chosenHost, String summary, String waiting,
                               List<HostRow> hosts) {

  /** Copies the rows so the record stays immutable. */
  public PlacementExplain {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /**
   * One host's verdict: {@code outcome} chosen, passed or rejected; a rejected host names the filter
   * that rejected it and why; a chosen or passed host has its total score and each scorer's score.
   */
  public record HostRow(String hostId, String outcome, String filter, String reason, Double score,
                        Map<String, Double> scores) {

    /** Copies the scores, keeping their order; null means none. */
    public HostRow {
      scores = scores == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scores));
    }
  }
}
