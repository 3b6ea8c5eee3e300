package io.actorvmm.domain.placement;

import io.actorvmm.domain.placement.HostVerdict.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Places a VM: hosts failing a filter are rejected, the rest are scored, and the best one is chosen. */
public final class PlacementEngine {

  private static final Comparator<String> BY_ID = Comparator.nullsLast(Comparator.naturalOrder());
  // best first: highest score, then host id so equal hosts always resolve the same way
  private static final Comparator<HostVerdict> BEST_FIRST =
      Comparator.comparingDouble(HostVerdict::score).reversed().thenComparing(HostVerdict::hostId, BY_ID);

  private final List<HostFilter> filters;
  private final List<WeightedScorer> scorers;

  /** An engine applying {@code filters} in order and ranking survivors by the weighted {@code scorers}. */
  public PlacementEngine(List<HostFilter> filters, List<WeightedScorer> scorers) {
    this.filters = List.copyOf(filters);
    this.scorers = List.copyOf(scorers);
  }

  /** The pipeline every placement uses. */
  public static PlacementEngine standard() {
    // Filters run cheapest first and stop at the first rejection: status is one field, runtime a short list,
    // security one comparison, capacity arithmetic over four resources, and anti-affinity scans the host's VMs.
    return new PlacementEngine(
        List.of(new StatusFilter(), new RuntimeFilter(), new SecurityLevelFilter(), new CapacityFilter(),
            new DistinctHostsFilter()),
        List.of(new WeightedScorer(new PackScorer(), 1)));
  }

  /** Every host's verdict, the chosen host (best score, ties by host id) and the summary. */
  public PlacementDecision decide(PlacementRequest request, Collection<HostCandidate> hosts) {
    Objects.requireNonNull(request, "request");
    List<HostVerdict> passed = new ArrayList<>();
    List<HostVerdict> rejected = new ArrayList<>();
    List<String> rejectionKeys = new ArrayList<>();
    for (HostCandidate host : hosts == null ? List.<HostCandidate>of() : hosts) {
      HostFilter failed = firstRejecting(request, host);
      if (failed == null) {
        passed.add(new HostVerdict(host.hostId(), Outcome.PASSED, null, null, score(request, host)));
      } else {
        rejected.add(new HostVerdict(host.hostId(), Outcome.REJECTED, failed.name(),
            failed.reject(request, host), 0));
        rejectionKeys.add(failed.shortReason(request, host));
      }
    }
    passed.sort(BEST_FIRST);
    rejected.sort(Comparator.comparing(HostVerdict::hostId, BY_ID));
    String chosen = null;
    if (!passed.isEmpty()) {
      HostVerdict best = passed.get(0);
      chosen = best.hostId();
      passed.set(0, new HostVerdict(best.hostId(), Outcome.CHOSEN, null, null, best.score()));
    }
    List<HostVerdict> verdicts = new ArrayList<>(passed);
    verdicts.addAll(rejected);
    String summary = PlacementSummary.of(chosen, verdicts.size(), passed.size(), rejectionKeys);
    return new PlacementDecision(request.vmId(), chosen, summary, verdicts);
  }

  private HostFilter firstRejecting(PlacementRequest request, HostCandidate host) {
    for (HostFilter f : filters) {
      if (f.reject(request, host) != null) return f;
    }
    return null;
  }

  private double score(PlacementRequest request, HostCandidate host) {
    double total = 0;
    double weights = 0;
    for (WeightedScorer ws : scorers) {
      double s = ws.scorer().score(request, host);
      // a scorer that cannot tell (NaN) must not poison the ranking: it counts as no preference
      total += ws.weight() * (Double.isNaN(s) ? 0 : s);
      weights += ws.weight();
    }
    // a weighted average keeps the total on the scorers' 0..100 scale whatever the weights
    return weights == 0 ? 0 : total / weights;
  }
}
