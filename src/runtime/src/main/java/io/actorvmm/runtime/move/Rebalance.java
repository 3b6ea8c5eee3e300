package io.actorvmm.runtime.move;

import io.actorvmm.api.model.RebalanceInfo;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.placement.PlacementEngine;
import io.actorvmm.domain.service.ServicePlacement;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.service.ServiceState;
import io.actorvmm.runtime.view.Inventory;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * Evens out CPU load across Up hosts in one bounded step: repeatedly moves a running, relocatable VM
 * from the busiest host to the idlest one when the placement engine accepts it there (the same filters
 * as any placement: capacity, security, site, anti-affinity, max per host) and the spread between them
 * shrinks; stops after {@code maxMoves} or when no move helps. The moves are ordinary move processes,
 * so max-unavailable and every other rule of a move hold; a dry run only answers the plan.
 */
public final class Rebalance {
  /** Moves per step unless the caller asks otherwise. */
  public static final int DEFAULT_MAX_MOVES = 5;

  private static final double EPSILON = 1e-9;

  private Rebalance() {}

  /** One planned move. */
  record Planned(String vmId, String from, String to) {}

  /** A plan: the moves and the spread before and after, in percent. */
  record Plan(List<Planned> moves, double before, double after, String why) {}

  /** Plans and (unless a dry run) starts one step of rebalancing. */
  public static CompletionStage<RebalanceInfo> run(ActorSystem<?> system, int maxMoves, boolean dryRun, String who) {
    Plan plan = plan(ReadSide.get(system).inventory(), maxMoves);
    if (dryRun || plan.moves().isEmpty()) {
      List<RebalanceInfo.Step> steps = plan.moves().stream()
          .map(m -> new RebalanceInfo.Step(m.vmId(), m.from(), m.to(), "planned")).toList();
      return CompletableFuture.completedFuture(new RebalanceInfo(plan.before(), plan.after(), steps, plan.why(), dryRun));
    }
    ClusterSharding sharding = ClusterSharding.get(system);
    List<RebalanceInfo.Step> steps = new ArrayList<>();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (Planned m : plan.moves()) {
      chain = chain.thenCompose(v -> sharding.entityRefFor(MoveEntity.ENTITY_KEY, m.vmId())
          .<MoveState>askWithStatus(r -> new MoveEntity.Request(m.to(), false, "rebalance requested by " + who, who, r),
              Duration.ofSeconds(15))
          .handle((ok, err) -> {
            String outcome = err == null ? "moving" : "not moved: " + reason(err);
            synchronized (steps) {
              steps.add(new RebalanceInfo.Step(m.vmId(), m.from(), m.to(), outcome));
            }
            return null;
          }));
    }
    return chain.thenApply(v -> new RebalanceInfo(plan.before(), plan.after(), List.copyOf(steps), plan.why(), false));
  }

  private static String reason(Throwable err) {
    Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
    return t instanceof StatusReply.ErrorMessage ? io.actorvmm.domain.Rejection.decode(t.getMessage()).message()
        : String.valueOf(t.getMessage());
  }

  /** The plan of one step over {@code inv}. */
  static Plan plan(Inventory inv, int maxMoves) {
    Map<String, HostCandidate> hosts = new LinkedHashMap<>();
    for (HostState h : inv.hosts()) {
      if (h.registered() && h.status() == HostStatus.UP) hosts.put(h.hostId(), HostCandidate.empty(h.spec(), h.status()));
    }
    Map<String, List<VmState>> onHost = new LinkedHashMap<>();
    for (VmState v : inv.vms()) {
      HostCandidate h = v.hostId() == null ? null : hosts.get(v.hostId());
      if (h == null || !v.phase().holdsHost()) continue;
      hosts.put(v.hostId(), h.plus(v.appId(), v.spec().demand()));
      onHost.computeIfAbsent(v.hostId(), k -> new ArrayList<>()).add(v);
    }
    Map<String, ServiceSpec> serviceOfApp = new LinkedHashMap<>();
    for (ServiceState s : inv.services()) {
      if (s.spec() == null) continue;
      s.spec().apps().forEach(a -> serviceOfApp.putIfAbsent(a.app(), s.spec()));
    }
    double before = spread(hosts);
    if (hosts.size() < 2) return new Plan(List.of(), before, before, "fewer than two hosts are up");
    PlacementEngine engine = PlacementEngine.standard();
    List<Planned> moves = new ArrayList<>();
    String why = "stopped after " + maxMoves + (maxMoves == 1 ? " move" : " moves") + " (the step's bound)";
    while (moves.size() < maxMoves) {
      String busiest = extreme(hosts, true);
      String idlest = extreme(hosts, false);
      double now = spread(hosts);
      if (busiest.equals(idlest) || now < EPSILON) {
        why = "the load is even";
        break;
      }
      List<VmState> candidates = new ArrayList<>(onHost.getOrDefault(busiest, List.of()));
      candidates.sort(Comparator.comparingInt((VmState v) -> -v.spec().cpuCores()).thenComparing(VmState::vmId));
      Planned chosen = null;
      for (VmState v : candidates) {
        if (!v.spec().relocatable() || v.phase() != VmPhase.RUNNING || v.inMove()) continue;
        ServiceSpec svc = v.appId() == null ? null : serviceOfApp.get(v.appId());
        PlacementDecision d = engine.decide(ServicePlacement.request(v.vmId(), v.spec(), v.appId(), svc),
            List.of(hosts.get(idlest)));
        if (!d.placed()) continue;
        Map<String, HostCandidate> after = new LinkedHashMap<>(hosts);
        after.put(busiest, hosts.get(busiest).minus(v.appId(), v.spec().demand()));
        after.put(idlest, hosts.get(idlest).plus(v.appId(), v.spec().demand()));
        if (spread(after) < now - EPSILON) {
          hosts.clear();
          hosts.putAll(after);
          onHost.get(busiest).remove(v);
          onHost.computeIfAbsent(idlest, k -> new ArrayList<>()).add(v);
          chosen = new Planned(v.vmId(), busiest, idlest);
          break;
        }
      }
      if (chosen == null) {
        why = "no move from " + busiest + " to " + idlest + " lowers the spread under the rules";
        break;
      }
      moves.add(chosen);
    }
    return new Plan(moves, before, spread(hosts), why);
  }

  private static double load(HostCandidate h) {
    int cap = h.spec().capacity().cpuCores();
    return cap <= 0 ? 0 : 100.0 * h.used().cpuCores() / cap;
  }

  private static double spread(Map<String, HostCandidate> hosts) {
    double max = 0;
    double min = Double.MAX_VALUE;
    for (HostCandidate h : hosts.values()) {
      max = Math.max(max, load(h));
      min = Math.min(min, load(h));
    }
    return hosts.isEmpty() ? 0 : max - min;
  }

  private static String extreme(Map<String, HostCandidate> hosts, boolean busiest) {
    String best = null;
    double bestLoad = 0;
    for (var e : hosts.entrySet()) {
      double l = load(e.getValue());
      if (best == null || (busiest ? l > bestLoad + EPSILON : l < bestLoad - EPSILON)) {
        best = e.getKey();
        bestLoad = l;
      }
    }
    return best;
  }
}
