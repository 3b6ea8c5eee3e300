package io.actorvmm.domain.placement;

import io.actorvmm.domain.placement.HostVerdict.Outcome;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * A decision's verdicts as the engine's hot loop leaves them (per host: the index of the rejecting
 * filter, or its total score), turned into {@link HostVerdict} objects only as they are read: the verdict
 * order is worked out on the first read, and each verdict is built when first asked for, so reading the
 * first few (the chosen host and the runners-up) stays cheap on a large cluster; the rejected hosts
 * are only sorted when one of them is read. Reasons and per-scorer
 * scores are recomputed then: filters and scorers are pure functions of the decision's context and the
 * host, and the host views are immutable records held here.
 */
final class CompactVerdicts extends AbstractList<HostVerdict> implements RandomAccess {
  private static final Comparator<String> BY_ID = Comparator.nullsLast(Comparator.naturalOrder());

  private final PlacementContext context;
  private final HostCandidate[] hosts;
  private final byte[] rejectedBy;
  private final double[] total;
  private final int chosen;
  private final HostFilter[] filters;
  private final List<WeightedScorer> scorers;
  private final HostVerdict[] built;
  private int[] head;
  private int[] tail;

  /** rejectedBy[i]: 0 when host i passed, else 1 + the index of the filter that rejected it; chosen: index or -1. */
  CompactVerdicts(PlacementContext context, HostCandidate[] hosts, byte[] rejectedBy, double[] total, int chosen,
                  HostFilter[] filters, List<WeightedScorer> scorers) {
    this.context = context;
    this.hosts = hosts;
    this.rejectedBy = rejectedBy;
    this.total = total;
    this.chosen = chosen;
    this.filters = filters;
    this.scorers = scorers;
    this.built = new HostVerdict[hosts.length];
  }

  /** The verdict at {@code index} in verdict order, built on first request. */
  @Override
  public HostVerdict get(int index) {
    HostVerdict v = built[index];
    if (v == null) {
      int[] head = head();
      int host = index < head.length ? head[index] : tail()[index - head.length];
      // a race builds an equal immutable record twice at worst
      v = build(host);
      built[index] = v;
    }
    return v;
  }

  /** The number of hosts, known without building anything. */
  @Override
  public int size() {
    return hosts.length;
  }

  /** The chosen host, then the other passed hosts best first (highest score, then host id, as the engine chooses). */
  private synchronized int[] head() {
    if (head == null) {
      List<Integer> passed = new ArrayList<>();
      for (int i = 0; i < hosts.length; i++) if (i != chosen && rejectedBy[i] == 0) passed.add(i);
      passed.sort(Comparator.<Integer>comparingDouble(i -> -total[i]).thenComparing(i -> hosts[i].hostId(), BY_ID));
      int[] out = new int[passed.size() + (chosen >= 0 ? 1 : 0)];
      int k = 0;
      if (chosen >= 0) out[k++] = chosen;
      for (int i : passed) out[k++] = i;
      head = out;
    }
    return head;
  }

  /** The rejected hosts by id; sorted only when a verdict past the passed hosts is read. */
  private synchronized int[] tail() {
    if (tail == null) {
      List<Integer> rejected = new ArrayList<>();
      for (int i = 0; i < hosts.length; i++) if (rejectedBy[i] != 0) rejected.add(i);
      rejected.sort(Comparator.comparing(i -> hosts[i].hostId(), BY_ID));
      tail = rejected.stream().mapToInt(Integer::intValue).toArray();
    }
    return tail;
  }

  private HostVerdict build(int i) {
    HostCandidate h = hosts[i];
    if (rejectedBy[i] != 0) {
      HostFilter f = filters[rejectedBy[i] - 1];
      return new HostVerdict(h.hostId(), Outcome.REJECTED, f.name(), f.reject(context, h), 0);
    }
    Map<String, Double> each = new LinkedHashMap<>();
    for (WeightedScorer ws : scorers) each.put(ws.scorer().name(), ws.scorer().score(context, h));
    return new HostVerdict(h.hostId(), i == chosen ? Outcome.CHOSEN : Outcome.PASSED, null, null, total[i], each);
  }
}
