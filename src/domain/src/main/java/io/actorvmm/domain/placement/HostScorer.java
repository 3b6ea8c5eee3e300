package io.actorvmm.domain.placement;

/** One soft preference among the hosts that passed every filter. */
public interface HostScorer {

  /** The scorer's name. */
  String name();

  /** 0..100, higher is better. */
  double score(PlacementRequest r, HostCandidate h);
}
