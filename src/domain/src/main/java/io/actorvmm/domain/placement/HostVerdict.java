package io.actorvmm.domain.placement;

/** One host's verdict: chosen, passed (eligible but scored lower) or rejected by a filter with its reason. */
public record HostVerdict(String hostId, Outcome outcome, String filter, String reason, double score) {

  /** What placement did with the host. */
  public enum Outcome {
    CHOSEN, PASSED, REJECTED;

    /** The lower-case name shown to users. */
    public String label() {
      return name().toLowerCase();
    }
  }
}
