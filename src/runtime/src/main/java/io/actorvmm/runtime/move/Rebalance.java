package io.actorvmm.runtime.move;

import io.actorvmm.api.model.RebalanceInfo;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.placement.CostRebalance;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.placement.PlacementEngine;
import io.actorvmm.domain.placement.PlacementRequest;
import io.actorvmm.domain.service.ServicePlacement;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.service.ServiceState;
import io.actorvmm.runtime.view.Inventory;
import io.actorvmm.runtime.vm.PlacementRules;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * One bounded step of rebalancing, by load or by cost.
 *
 * <p>By load: evens out CPU load across Up hosts: repeatedly moves a running, relocatable VM from the
 * busiest host to the idlest one when the placement engine accepts it there (the same filters as any
 * placement: capacity, security, site, anti-affinity, max per host) and the spread between them
 * shrinks; stops after {@code maxMoves} or when no move helps.
 *
 * <p>By cost: moves running, relocatable VMs to hosts where they cost less to run, the largest net
 * saving first, when the saving over the horizon pays for the transfer of their data (the domain's
 * {@link CostRebalance}, under the same filters as any placement, each VM's own rules included).
 *
 * <p>The moves are ordinary move processes, so max-unavailable and every other rule of a move hold;
 * a dry run only answers the plan.
 */
public final class Rebalance {
  /** Moves per step unless the caller asks otherwise. */
  public static final int DEFAULT_MAX_MOVES = 5;

  /** What a step evens out. */
  public enum By {
    /** The hosts' CPU load. */
    LOAD,
    /** What the VMs cost to run. */
    COST;

    /** The lower-case name users type and see. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code s} ("load" or "cost"); a one-line message for anything else. */
    public static By parse(String s) {
      for (By b : values()) if (b.label().equals(s == null ? null : s.trim().toLowerCase(Locale.ROOT))) return b;
      throw new IllegalArgumentException("by must be load or cost, not '" + s + "'");
    }
  }

  private static final double EPSILON = 1e-9;

  private Rebalance() {}

  /** One planned move. */
  record Planned(String vmId, String from, String to) {}

  /** A plan: the moves and the spread before and after, in percent. */
  record Plan(List<Planned> moves, double before, double after, String why) {}

  /** Plans and (unless a dry run) starts one step of rebalancing by load. */
  public static CompletionStage<RebalanceInfo> run(ActorSystem<?> system, int maxMoves, boolean dryRun, String who) {
    return run(system, By.LOAD, maxMoves, CostRebalance.DEFAULT_HORIZON_HOURS, dryRun, who);
  }

  /**
   * Plans and (unless a dry run) starts one step of rebalancing by {@code by}; a step by cost plans only
   * moves whose saving over {@code horizonHours} pays for their transfer.
   */
  public static CompletionStage<RebalanceInfo> run(ActorSystem<?> system, By by, int maxMoves, double horizonHours,
                                                   boolean dryRun, String who) {
    Inventory inv = ReadSide.get(system).inventory();
    if (by == By.COST) return runByCost(system, inv, maxMoves, horizonHours, dryRun, who);
    Plan plan = plan(inv, maxMoves);
    if (dryRun || plan.moves().isEmpty()) {
      List<RebalanceInfo.Step> steps = plan.moves().stream()
          .map(m -> new RebalanceInfo.Step(m.vmId(), m.from(), m.to(), "planned")).toList();
      return CompletableFuture.completedFuture(new RebalanceInfo(plan.before(), plan.after(), steps, plan.why(), dryRun));
    }
    return start(system, plan.moves().stream().map(m -> new RebalanceInfo.Step(m.vmId(), m.from(), m.to(), null))
        .toList(), who)
        .thenApply(steps -> new RebalanceInfo(plan.before(), plan.after(), steps, plan.why(), false));
  }

  private static CompletionStage<RebalanceInfo> runByCost(ActorSystem<?> system, Inventory inv, int maxMoves,
                                                          double horizonHours, boolean dryRun, String who) {
    CostRebalance.Plan plan = costPlan(inv, maxMoves, horizonHours);
    double spreadBefore = spreadAfter(inv, List.of());
    List<RebalanceInfo.Step> planned = plan.moves().stream()
        .map(m -> new RebalanceInfo.Step(m.vmId(), m.fromHost(), m.toHost(), "planned", m.costBefore(), m.costAfter(),
            m.transferCost(), m.netSaving(), m.detail(plan.horizonHours())))
        .toList();
    double spreadAfter = spreadAfter(inv, plan.moves());
    List<RebalanceInfo.NotMoved> notMoved = plan.notMoved().stream()
        .map(n -> new RebalanceInfo.NotMoved(n.vmId(), n.fromHost(), n.toHost(), n.reason())).toList();
    if (dryRun || planned.isEmpty()) {
      return CompletableFuture.completedFuture(new RebalanceInfo(spreadBefore, spreadAfter, planned, plan.summary(),
          dryRun, By.COST.label(), plan.horizonHours(), plan.costBefore(), plan.costAfter(), notMoved,
          plan.notMovedTotal()));
    }
    return start(system, planned, who).thenApply(steps -> new RebalanceInfo(spreadBefore, spreadAfter, steps,
        plan.summary(), false, By.COST.label(), plan.horizonHours(), plan.costBefore(), plan.costAfter(), notMoved,
        plan.notMovedTotal()));
  }

  /** Asks the move of each planned step in turn; each answers with its outcome: "moving" or why not. */
  private static CompletionStage<List<RebalanceInfo.Step>> start(ActorSystem<?> system, List<RebalanceInfo.Step> planned,
                                                                 String who) {
    ClusterSharding sharding = ClusterSharding.get(system);
    List<RebalanceInfo.Step> steps = new ArrayList<>();
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (RebalanceInfo.Step m : planned) {
      chain = chain.thenCompose(v -> sharding.entityRefFor(MoveEntity.ENTITY_KEY, m.vmId())
          .<MoveState>askWithStatus(r -> new MoveEntity.Request(m.toHost(), false, "rebalance requested by " + io.actorvmm.domain.auth.Caller.name(who), who,
              r), Duration.ofSeconds(15))
          .handle((ok, err) -> {
            String outcome = err == null ? "moving" : "not moved: " + reason(err);
            synchronized (steps) {
              steps.add(new RebalanceInfo.Step(m.vmId(), m.fromHost(), m.toHost(), outcome, m.costBefore(),
                  m.costAfter(), m.transferCost(), m.netSaving(), m.detail()));
            }
            return null;
          }));
    }
    return chain.thenApply(v -> {
      synchronized (steps) {
        return List.copyOf(steps);
      }
    });
  }

  private static String reason(Throwable err) {
    Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
    return t instanceof StatusReply.ErrorMessage ? io.actorvmm.domain.Rejection.decode(t.getMessage()).message()
        : String.valueOf(t.getMessage());
  }

  /** The plan of one step over {@code inv}. */
  static Plan plan(Inventory inv, int maxMoves) {
    Map<String, HostCandidate> hosts = upHosts(inv);
    Map<String, List<VmState>> onHost = new LinkedHashMap<>();
    for (VmState v : inv.vms()) {
      HostCandidate h = v.hostId() == null ? null : hosts.get(v.hostId());
      if (h == null || !v.phase().holdsHost()) continue;
      hosts.put(v.hostId(), h.plus(v.appId(), v.spec().demand()));
      onHost.computeIfAbsent(v.hostId(), k -> new ArrayList<>()).add(v);
    }
    Map<String, ServiceSpec> serviceOfApp = servicesByApp(inv);
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

  /**
   * The plan of one step by cost over {@code inv}: every VM holding an Up host counts, running,
   * relocatable VMs not in a move may move; each is placed by the request the scheduler would use (its
   * own anti-affinity and rules) or, for a VM without them, by its service's rules.
   */
  static CostRebalance.Plan costPlan(Inventory inv, int maxMoves, double horizonHours) {
    List<CostRebalance.Host> hosts = new ArrayList<>();
    for (HostState h : inv.hosts()) {
      if (h.registered()) hosts.add(new CostRebalance.Host(h.spec(), h.status()));
    }
    Map<String, ServiceSpec> serviceOfApp = servicesByApp(inv);
    List<CostRebalance.Vm> vms = new ArrayList<>();
    for (VmState v : inv.vms()) {
      if (v.hostId() == null || !v.phase().holdsHost()) continue;
      boolean movable = v.spec().relocatable() && v.phase() == VmPhase.RUNNING && !v.inMove();
      vms.add(new CostRebalance.Vm(request(v, serviceOfApp), v.hostId(), movable));
    }
    return CostRebalance.plan(PlacementEngine.standard(), hosts, vms, maxMoves, horizonHours);
  }

  /**
   * How the VM is placed: the rules it carries (as the scheduler reads them) together with its
   * service's current ones, the stricter of both where they differ.
   */
  private static PlacementRequest request(VmState v, Map<String, ServiceSpec> serviceOfApp) {
    PlacementRules own = PlacementRules.orNone(v.rules());
    ServiceSpec svc = v.appId() == null ? null : serviceOfApp.get(v.appId());
    PlacementRequest service = ServicePlacement.request(v.vmId(), v.spec(), v.appId(), svc);
    Set<String> distinct = new TreeSet<>(v.distinctFromApps());
    distinct.addAll(service.distinctFromApps());
    Set<String> affinity = new TreeSet<>(own.affinityApps());
    affinity.addAll(service.affinityApps());
    int max = own.maxPerHost() == 0 ? service.maxPerHost() : service.maxPerHost() == 0 ? own.maxPerHost()
        : Math.min(own.maxPerHost(), service.maxPerHost());
    return new PlacementRequest(v.vmId(), v.spec(), v.appId(), distinct).withAffinity(affinity).withMaxPerHost(max);
  }

  private static Map<String, ServiceSpec> servicesByApp(Inventory inv) {
    Map<String, ServiceSpec> serviceOfApp = new LinkedHashMap<>();
    for (ServiceState s : inv.services()) {
      if (s.spec() == null) continue;
      s.spec().apps().forEach(a -> serviceOfApp.putIfAbsent(a.app(), s.spec()));
    }
    return serviceOfApp;
  }

  /** The CPU load spread once {@code moves} are done (none: as it is now). */
  private static double spreadAfter(Inventory inv, List<CostRebalance.Move> moves) {
    Map<String, String> to = new LinkedHashMap<>();
    for (CostRebalance.Move m : moves) to.put(m.vmId(), m.toHost());
    Map<String, HostCandidate> hosts = upHosts(inv);
    for (VmState v : inv.vms()) {
      String at = to.getOrDefault(v.vmId(), v.hostId());
      HostCandidate h = at == null || v.hostId() == null || !hosts.containsKey(v.hostId()) ? null : hosts.get(at);
      if (h == null || !v.phase().holdsHost()) continue;
      hosts.put(at, h.plus(v.appId(), v.spec().demand()));
    }
    return spread(hosts);
  }

  private static Map<String, HostCandidate> upHosts(Inventory inv) {
    Map<String, HostCandidate> hosts = new LinkedHashMap<>();
    for (HostState h : inv.hosts()) {
      if (h.registered() && h.status() == HostStatus.UP) hosts.put(h.hostId(), HostCandidate.empty(h.spec(), h.status()));
    }
    return hosts;
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
