package io.actorvmm.api.model;

import java.util.List;

/** Why a VM went where it went: the chosen host and every host's verdict. */
public record PlacementInfo(String chosenHost, String summary, List<Verdict> verdicts) {

  /** One host's verdict: chosen, passed (eligible but scored lower) or rejected (by which filter, why). */
  public record Verdict(String hostId, String outcome, String filter, String reason, double score) {}
}
