package io.actorvmm.domain.placement;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One bounded step of rebalancing by cost: moves running, relocatable VMs to hosts where they cost
 * less to run, largest net saving first, under the same filters as any placement (status, runtime,
 * security level, site and local-sites-only, capacity, max per host, anti-affinity, affinity).
 *
 * <p>Running cost per hour: {@link CostScorer#costPerHour} with the request's expected use (by default
 * all reserved cores busy, no traffic): cores × 3600 × perCpuSecond + disk GiB × perGiBStored (+ the
 * expected traffic × perGiBTransferred). Moving a VM copies its disk once; that transfer is charged by
 * both ends, the data leaving the source and entering the target: {@link #transferCost} = disk GiB ×
 * (source's perGiBTransferred + target's perGiBTransferred). A move is planned only when its saving
 * over the horizon pays for its transfer: (cost before − cost after) × horizon hours − transfer &gt; 0,
 * that difference being the move's net saving. After each planned move the hosts' reservations and
 * application counts change as the move would change them, so later moves of the step see them.
 *
 * <p>Every VM left where it is although a cheaper host is up gets a reason: the cheapest such host's
 * filter rejection, its transfer not being paid back within the horizon, or the step's bound.
 */
public final class CostRebalance {

  /** The horizon the saving must pay for a move's transfer within, unless the caller says otherwise. */
  public static final double DEFAULT_HORIZON_HOURS = 24;

  /** At most this many VMs left in place are listed, the largest possible saving first. */
  public static final int MAX_NOT_MOVED = 20;

  private static final double EPSILON = 1e-12;

  private CostRebalance() {}

  /** A host as the step sees it: what it declared and its status. */
  public record Host(HostSpec spec, HostStatus status) {}

  /**
   * A VM holding a host: how it is placed (the request a placement of it would use), where it runs,
   * and whether this step may move it (running, relocatable, not moving already).
   */
  public record Vm(PlacementRequest request, String hostId, boolean movable) {}

  /**
   * One planned move: cost per hour on the source and on the target, the one-off transfer cost, and
   * the net saving over the horizon (saving per hour × horizon − transfer).
   */
  public record Move(String vmId, String fromHost, String toHost, double costBefore, double costAfter,
                     double transferCost, double netSaving) {

    /** "1.44/h → 0.36/h, transfer 2.00, net saving 23.92 over 24 h". */
    public String detail(double horizonHours) {
      return amount(costBefore) + "/h → " + amount(costAfter) + "/h, transfer " + amount(transferCost)
          + ", net saving " + amount(netSaving) + " over " + hours(horizonHours);
    }
  }

  /** A VM left on its host although {@code toHost} (the cheapest other host) costs less, and why. */
  public record NotMoved(String vmId, String fromHost, String toHost, String reason) {}

  /**
   * The step's plan: the moves in order, the VMs left in place although a cheaper host is up (at most
   * {@link #MAX_NOT_MOVED}, the largest saving per hour first; {@code notMovedTotal} counts them all), the
   * running cost per hour of every VM on an Up host before and after the step, the horizon, and why the
   * step stops where it does.
   */
  public record Plan(List<Move> moves, List<NotMoved> notMoved, int notMovedTotal, double costBefore,
                     double costAfter, double horizonHours, String summary) {

    /** Copies the lists so the record stays immutable. */
    public Plan {
      moves = List.copyOf(moves);
      notMoved = List.copyOf(notMoved);
    }
  }

  /** What one VM could do at one moment of the plan. */
  private record Option(Vm vm, Move best, NotMoved blocked, double hourlySaving, Kind kind) {}

  /** Why a VM does not move: no cheaper host, only refusing ones, only unpaid ones, or it has a paying move. */
  private enum Kind { NONE, REFUSED, UNPAID, PAYS }

  /** The transfer cost of moving a VM of {@code spec}: its disk GiB × (the source's + the target's per-GiB-transferred rate). */
  public static double transferCost(VmSpec spec, CostRates from, CostRates to) {
    CostRates f = from == null ? CostRates.FREE : from;
    CostRates t = to == null ? CostRates.FREE : to;
    return Math.max(0, spec.diskGiB() * (f.perGiBTransferred() + t.perGiBTransferred()));
  }

  /**
   * Plans one step over {@code hosts} and {@code vms} with {@code engine}'s filters: at most
   * {@code maxMoves} moves, each paying for its transfer within {@code horizonHours}. Only Up hosts
   * take part; VMs on other hosts neither move nor count.
   */
  public static Plan plan(PlacementEngine engine, List<Host> hosts, List<Vm> vms, int maxMoves, double horizonHours) {
    if (maxMoves < 1) throw new IllegalArgumentException("max moves must be at least 1");
    if (!(horizonHours > 0) || Double.isInfinite(horizonHours)) {
      throw new IllegalArgumentException("horizon must be a number of hours above zero");
    }
    Map<String, HostCandidate> view = new LinkedHashMap<>();
    for (Host h : hosts) {
      if (h.status() == HostStatus.UP) view.put(h.spec().hostId(), HostCandidate.empty(h.spec(), h.status()));
    }
    Map<String, String> where = new HashMap<>();
    List<Vm> placed = new ArrayList<>();
    for (Vm v : vms) {
      HostCandidate h = view.get(v.hostId());
      if (h == null) continue;
      view.put(v.hostId(), h.plus(v.request().appId(), v.request().spec().demand()));
      where.put(v.request().vmId(), v.hostId());
      placed.add(v);
    }
    placed.sort(Comparator.comparing((Vm v) -> v.request().vmId()));
    double before = total(placed, where, view);
    if (view.size() < 2) {
      return new Plan(List.of(), List.of(), 0, before, before, horizonHours, "fewer than two hosts are up");
    }
    List<Move> moves = new ArrayList<>();
    Set<String> moved = new HashSet<>();
    List<Option> options;
    String summary;
    while (true) {
      options = new ArrayList<>();
      for (Vm v : placed) {
        if (v.movable() && !moved.contains(v.request().vmId())) {
          options.add(option(engine, v, where.get(v.request().vmId()), view, horizonHours));
        }
      }
      Option best = null;
      for (Option o : options) {
        if (o.kind() != Kind.PAYS) continue;
        if (best == null || o.best().netSaving() > best.best().netSaving() + EPSILON
            || (Math.abs(o.best().netSaving() - best.best().netSaving()) <= EPSILON
            && o.best().vmId().compareTo(best.best().vmId()) < 0)) {
          best = o;
        }
      }
      if (best == null) {
        summary = stopReason(options, !moves.isEmpty(), horizonHours);
        break;
      }
      if (moves.size() >= maxMoves) {
        summary = "stopped after " + maxMoves + (maxMoves == 1 ? " move" : " moves") + " (the step's bound)";
        break;
      }
      Move m = best.best();
      Resources demand = best.vm().request().spec().demand();
      String app = best.vm().request().appId();
      view.put(m.fromHost(), view.get(m.fromHost()).minus(app, demand));
      view.put(m.toHost(), view.get(m.toHost()).plus(app, demand));
      where.put(m.vmId(), m.toHost());
      moved.add(m.vmId());
      moves.add(m);
    }
    List<Option> left = new ArrayList<>();
    for (Option o : options) if (o.kind() != Kind.NONE) left.add(o);
    left.sort(Comparator.comparingDouble((Option o) -> -o.hourlySaving()).thenComparing(o -> o.vm().request().vmId()));
    List<NotMoved> notMoved = new ArrayList<>();
    for (Option o : left.subList(0, Math.min(MAX_NOT_MOVED, left.size()))) {
      notMoved.add(o.kind() == Kind.PAYS
          ? new NotMoved(o.best().vmId(), o.best().fromHost(), o.best().toHost(), o.best().detail(horizonHours)
              + "; left for a later step (the step's bound)")
          : o.blocked());
    }
    return new Plan(moves, notMoved, left.size(), before, total(placed, where, view), horizonHours, summary);
  }

  private static Option option(PlacementEngine engine, Vm v, String from, Map<String, HostCandidate> view,
                               double horizonHours) {
    PlacementRequest r = v.request();
    HostCandidate source = view.get(from);
    double before = CostScorer.costPerHour(r, source.spec().costRates());
    List<HostCandidate> cheaper = new ArrayList<>();
    for (HostCandidate h : view.values()) {
      if (!h.hostId().equals(from) && CostScorer.costPerHour(r, h.spec().costRates()) < before - EPSILON) cheaper.add(h);
    }
    if (cheaper.isEmpty()) return new Option(v, null, null, 0, Kind.NONE);
    // every Up host takes part, the source too, so the affinity rule sees where the VM's partners run
    PlacementDecision d = engine.decide(r, view.values());
    Map<String, HostVerdict> verdicts = new HashMap<>();
    for (HostVerdict hv : d.verdicts()) verdicts.put(hv.hostId(), hv);
    // the cheapest host first: the one an operator asks about
    cheaper.sort(Comparator.comparingDouble((HostCandidate h) -> CostScorer.costPerHour(r, h.spec().costRates()))
        .thenComparing(HostCandidate::hostId));
    Move best = null;
    Move bestUnpaid = null;
    HostCandidate firstRefusing = null;
    for (HostCandidate h : cheaper) {
      HostVerdict hv = verdicts.get(h.hostId());
      if (hv == null || hv.outcome() == HostVerdict.Outcome.REJECTED) {
        if (firstRefusing == null) firstRefusing = h;
        continue;
      }
      double after = CostScorer.costPerHour(r, h.spec().costRates());
      double transfer = transferCost(r.spec(), source.spec().costRates(), h.spec().costRates());
      Move m = new Move(r.vmId(), from, h.hostId(), before, after, transfer, (before - after) * horizonHours - transfer);
      if (m.netSaving() > EPSILON) {
        if (best == null || m.netSaving() > best.netSaving() + EPSILON) best = m;
      } else if (bestUnpaid == null) {
        bestUnpaid = m;
      }
    }
    HostCandidate cheapest = cheaper.get(0);
    double saving = before - CostScorer.costPerHour(r, cheapest.spec().costRates());
    if (best != null) return new Option(v, best, null, saving, Kind.PAYS);
    if (bestUnpaid != null) {
      String why = amount(before) + "/h → " + amount(bestUnpaid.costAfter()) + "/h saves "
          + amount((before - bestUnpaid.costAfter()) * horizonHours) + " over " + hours(horizonHours)
          + ", which does not pay for the transfer of " + amount(bestUnpaid.transferCost());
      return new Option(v, null, new NotMoved(r.vmId(), from, bestUnpaid.toHost(), why), saving, Kind.UNPAID);
    }
    HostVerdict hv = verdicts.get(firstRefusing.hostId());
    String rule = hv == null ? "the rules" : "the " + hv.filter() + " rule";
    String reason = hv == null || hv.reason() == null ? "not considered" : hv.reason();
    String why = "costs " + amount(CostScorer.costPerHour(r, firstRefusing.spec().costRates())) + "/h instead of "
        + amount(before) + "/h, but " + rule + " refuses it: " + reason;
    return new Option(v, null, new NotMoved(r.vmId(), from, firstRefusing.hostId(), why), saving, Kind.REFUSED);
  }

  private static String stopReason(List<Option> options, boolean movedAny, double horizonHours) {
    boolean unpaid = options.stream().anyMatch(o -> o.kind() == Kind.UNPAID);
    boolean refused = options.stream().anyMatch(o -> o.kind() == Kind.REFUSED);
    String no = movedAny ? "no further" : "no";
    if (unpaid) return no + " move pays for its transfer within " + hours(horizonHours);
    if (refused) return no + " cheaper host takes a VM under the rules";
    return no + " running, relocatable VM has a cheaper host";
  }

  private static double total(List<Vm> vms, Map<String, String> where, Map<String, HostCandidate> view) {
    double sum = 0;
    for (Vm v : vms) {
      HostCandidate h = view.get(where.get(v.request().vmId()));
      if (h != null) sum += CostScorer.costPerHour(v.request(), h.spec().costRates());
    }
    return sum;
  }

  /** An amount as users read it: two decimals, or four significant digits for amounts below 1 ("0.0036"). */
  public static String amount(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) return String.valueOf(x);
    BigDecimal b = BigDecimal.valueOf(x);
    if (Math.abs(x) >= 1 || x == 0) return b.setScale(2, RoundingMode.HALF_UP).toPlainString();
    BigDecimal r = b.round(new MathContext(4, RoundingMode.HALF_UP)).stripTrailingZeros();
    if (r.scale() < 2) r = r.setScale(2, RoundingMode.HALF_UP);
    return r.toPlainString();
  }

  /** "24 h", "1.5 h". */
  public static String hours(double h) {
    return BigDecimal.valueOf(h).stripTrailingZeros().toPlainString() + " h";
  }
}
