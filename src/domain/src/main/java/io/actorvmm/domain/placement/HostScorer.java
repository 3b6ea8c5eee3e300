package io.actorvmm.domain.placement;

/** One soft preference among the hosts that passed every filter. */
public interface HostScorer {

  /** The scorer's name. */
  String name();

  /** 0..100, higher is better. */
  double score(PlacementRequest r, HostCandidate h);

  /** 0..100 within this decision's context; the engine calls this form. */
  default double score(PlacementContext c, HostCandidate h) {
    return score(c.request(), h);
  }
}
