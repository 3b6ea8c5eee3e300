package io.actorvmm.domain.placement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One host's verdict: chosen, passed (eligible but scored lower) or rejected by a filter with its
 * reason; for a chosen or passed host its total score and each scorer's score (in policy order).
 */
public record HostVerdict(String hostId, Outcome outcome, String filter, String reason, double score,
                          Map<String, Double> scores) {

  /** What placement did with the host. */
  public enum Outcome {
    CHOSEN, PASSED, REJECTED;

    /** The lower-case name shown to users. */
    public String label() {
      return name().toLowerCase();
    }
  }

  /** Copies the per-scorer scores, keeping their order; null means none. */
  public HostVerdict {
    scores = scores == null || scores.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
  }

  /** A verdict without per-scorer scores. */
  public HostVerdict(String hostId, Outcome outcome, String filter, String reason, double score) {
    this(hostId, outcome, filter, reason, score, Map.of());
  }
}
