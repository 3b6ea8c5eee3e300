package io.actorvmm.domain.whatif;

import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Limits;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.placement.PlacementEngine;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.Availability;
import io.actorvmm.domain.service.AvailabilityRule;
import io.actorvmm.domain.service.ServiceHealth;
import io.actorvmm.domain.service.ServicePlacement;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.domain.service.StartOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes, without side effects, what a {@link Scenario} would do to an {@link Inventory}: which VMs
 * would be re-placed where (by the placement engine, under the services' rules), which would be left
 * without a host and why, and which services' availability would change.
 *
 * <p>Displaced VMs are re-placed one by one, each applied to the host view before the next: higher
 * restart priority first, then earlier in their service's start order, then by VM id. A VM whose data
 * lived only on a lost host ({@link DataPolicy#LOCAL}) is not restarted. In a drain or a rule change a
 * VM that fits nowhere stays where it is; replicas of one application move in waves of at most the
 * service's max-unavailable count, and the "during" availability assumes one full wave is down.
 */
public final class WhatIf {

  /** Reason prefix for a VM that is not restarted after its host is lost, followed by the host. */
  public static final String LOCAL_DATA = "its data lived only on ";
  /** Reason prefix for a VM that cannot move in a drain or rule change, followed by its host. */
  public static final String STAYS = "stays on ";

  private final PlacementEngine engine;

  /** A what-if placing with {@code engine} (its default policy for services that name none). */
  public WhatIf(PlacementEngine engine) {
    this.engine = engine;
  }

  /** A what-if with the standard engine. */
  public static WhatIf standard() {
    return new WhatIf(PlacementEngine.standard());
  }

  /** The outcome of {@code scenario} on {@code inventory}; a scenario naming an unknown host, service or app throws IllegalArgumentException with a one-line message. */
  public WhatIfResult run(Inventory inventory, Scenario scenario) {
    Run r = new Run(inventory, scenario);
    return r.result();
  }

  /** One computation: its own copies of the host view and the service specs. */
  private final class Run {
    private final Inventory inv;
    private final Scenario sc;
    private final Map<String, ServiceSpec> before = new LinkedHashMap<>();
    private final Map<String, ServiceSpec> after = new LinkedHashMap<>();
    private final Map<String, HostCandidate> hosts = new LinkedHashMap<>();
    private final List<Move> moves = new ArrayList<>();
    private final List<Unplaced> unplaced = new ArrayList<>();

    Run(Inventory inv, Scenario sc) {
      this.inv = inv;
      this.sc = sc;
      inv.services().forEach(s -> before.put(s.name(), s));
      after.putAll(before);
      inv.hosts().forEach(h -> hosts.put(h.spec().hostId(), HostCandidate.empty(h.spec(), h.status())));
      for (PlacedVm vm : inv.vms()) {
        HostCandidate h = hosts.get(vm.hostId());
        // a VM on a host the snapshot does not list cannot be judged; it is left out
        if (h != null) hosts.put(vm.hostId(), h.plus(vm.app(), demand(vm.spec())));
      }
    }

    WhatIfResult result() {
      check();
      Map<String, Integer> runningBefore = running(inv.vms());
      List<PlacedVm> displaced = displaced();
      Map<String, Integer> during = new HashMap<>(runningBefore);
      Map<String, Integer> end = new HashMap<>(runningBefore);
      order(displaced);
      Map<String, Integer> moved = new HashMap<>();
      for (PlacedVm vm : displaced) {
        String svc = serviceOf(vm);
        boolean lost = sc.kind() == Scenario.Kind.HOST_LOST;
        boolean isNew = vm.hostId() == null;
        if (!isNew && !lost) {
          // the VM leaves its host before it is placed again
          HostCandidate from = hosts.get(vm.hostId());
          hosts.put(vm.hostId(), from.minus(vm.app(), demand(vm.spec())));
        }
        if (lost) decrement(during, vm.app());
        if (lost && vm.spec().data() == DataPolicy.LOCAL) {
          unplaced.add(new Unplaced(vm.vmId(), vm.app(), svc, vm.hostId(), LOCAL_DATA + vm.hostId()));
          decrement(end, vm.app());
          continue;
        }
        ServiceSpec spec = svc == null ? null : after.get(svc);
        PlacementDecision d = engine.decide(ServicePlacement.request(vm.vmId(), vm.spec(), vm.app(), spec),
            hosts.values(), ServicePlacement.policy(spec, engine.defaultPolicy()));
        int index = moved.merge(vm.app() == null ? "" : vm.app(), 1, Integer::sum) - 1;
        int wave = lost || isNew ? 1 : index / Math.max(1, maxUnavailable(spec)) + 1;
        if (d.placed()) {
          HostCandidate to = hosts.get(d.chosenHost());
          hosts.put(d.chosenHost(), to.plus(vm.app(), demand(vm.spec())));
          moves.add(new Move(vm.vmId(), vm.app(), svc, vm.hostId(), d.chosenHost(), wave));
          if (isNew) increment(end, vm.app());
        } else if (lost || isNew) {
          unplaced.add(new Unplaced(vm.vmId(), vm.app(), svc, vm.hostId(), d.summary()));
          if (lost) decrement(end, vm.app());
        } else {
          // in a drain or rule change a VM with nowhere to go keeps running where it is
          HostCandidate back = hosts.get(vm.hostId());
          hosts.put(vm.hostId(), back.plus(vm.app(), demand(vm.spec())));
          unplaced.add(new Unplaced(vm.vmId(), vm.app(), svc, vm.hostId(), STAYS + vm.hostId() + ": " + d.summary()));
        }
      }
      if (sc.kind() != Scenario.Kind.HOST_LOST && sc.kind() != Scenario.Kind.MORE_REPLICAS) {
        // one wave of each application's moving replicas is down at the worst moment
        Map<String, Integer> perApp = new HashMap<>();
        for (Move m : moves) {
          // with max unavailable 0 a replica moves only once its successor runs: nothing is down
          if (m.wave() == 1 && m.app() != null && maxUnavailable(after.get(m.service())) > 0) {
            perApp.merge(m.app(), 1, Integer::sum);
          }
        }
        perApp.forEach((app, n) -> during.merge(app, -n, Integer::sum));
      }
      List<ServiceImpact> impacts = new ArrayList<>();
      List<String> losing = new ArrayList<>();
      for (ServiceSpec s : before.values()) {
        ServiceHealth b = AvailabilityRule.compute(s, runningBefore, false);
        ServiceHealth du = AvailabilityRule.compute(s, during, false);
        ServiceHealth af = AvailabilityRule.compute(after.get(s.name()), end, false);
        if (b.equals(du) && b.equals(af)) continue;
        impacts.add(new ServiceImpact(s.name(), b, du, af));
        if (rank(du) > rank(b) || rank(af) > rank(b)) losing.add(s.name());
      }
      return new WhatIfResult(sc.describe(), moves, unplaced, impacts, summary(losing));
    }

    private String summary(List<String> losing) {
      StringBuilder b = new StringBuilder(sc.describe()).append(": ");
      String[] words = switch (sc.kind()) {
        case MORE_REPLICAS -> new String[] {"placed", "left unplaced"};
        case HOST_LOST -> new String[] {"restart elsewhere", "left down"};
        default -> new String[] {"move", "cannot move"};
      };
      b.append(moves.size()).append(moves.size() == 1 ? " VM " : " VMs ").append(words[0]);
      b.append(", ").append(unplaced.size()).append(' ').append(words[1]);
      b.append(losing.isEmpty() ? "; no service loses availability"
          : "; " + (losing.size() == 1 ? "service " : "services ") + String.join(", ", losing)
              + (losing.size() == 1 ? " loses" : " lose") + " availability");
      return b.toString();
    }

    private void check() {
      if (sc == null || sc.kind() == null) throw new IllegalArgumentException("what-if needs a scenario");
      switch (sc.kind()) {
        case HOST_LOST, HOST_DRAINED -> {
          if (!hosts.containsKey(sc.hostId())) throw new IllegalArgumentException("unknown host " + sc.hostId());
        }
        default -> {
          ServiceSpec s = before.get(sc.service());
          if (s == null) throw new IllegalArgumentException("unknown service " + sc.service());
          if (s.app(sc.app()) == null) throw new IllegalArgumentException("service " + sc.service() + " has no app " + sc.app());
          if (sc.kind() != Scenario.Kind.DISTINCT_HOSTS && sc.count() < 1) {
            throw new IllegalArgumentException("the count must be at least 1");
          }
          // each replica tried is placed in memory: a count without bound would exhaust the node
          String tooMany = Limits.range("count", sc.count(), Integer.MIN_VALUE, Limits.MAX_WHAT_IF_COUNT);
          if (tooMany != null) throw new IllegalArgumentException(tooMany);
        }
      }
    }

    /** The VMs the scenario takes off their hosts (or creates), and the changed service specs. */
    private List<PlacedVm> displaced() {
      List<PlacedVm> out = new ArrayList<>();
      switch (sc.kind()) {
        case HOST_LOST, HOST_DRAINED -> {
          HostCandidate h = hosts.get(sc.hostId());
          HostStatus status = sc.kind() == Scenario.Kind.HOST_LOST ? HostStatus.DOWN : HostStatus.MAINTENANCE;
          hosts.put(sc.hostId(), h.withStatus(status));
          for (PlacedVm vm : inv.vms()) if (sc.hostId().equals(vm.hostId())) out.add(vm);
        }
        case DISTINCT_HOSTS, MAX_PER_HOST -> {
          ServiceSpec s = before.get(sc.service());
          ServiceRules rules = sc.kind() == Scenario.Kind.DISTINCT_HOSTS ? s.rules().withDistinct(sc.app())
              : s.rules().withMaxPerHost(sc.app(), sc.count());
          after.put(s.name(), new ServiceSpec(s.name(), s.apps(), rules));
          int keep = sc.kind() == Scenario.Kind.DISTINCT_HOSTS ? 1 : sc.count();
          Map<String, List<PlacedVm>> byHost = new LinkedHashMap<>();
          for (PlacedVm vm : inv.vms()) {
            if (sc.app().equals(vm.app()) && sc.service().equals(serviceOf(vm)) && hosts.containsKey(vm.hostId())) {
              byHost.computeIfAbsent(vm.hostId(), k -> new ArrayList<>()).add(vm);
            }
          }
          for (List<PlacedVm> onHost : byHost.values()) {
            onHost.sort(Comparator.comparing(PlacedVm::vmId));
            // the first VMs by id stay, so the same inventory always moves the same VMs
            if (onHost.size() > keep) out.addAll(onHost.subList(keep, onHost.size()));
          }
        }
        case MORE_REPLICAS -> {
          ServiceSpec s = before.get(sc.service());
          AppRequirement a = s.app(sc.app());
          List<AppRequirement> apps = new ArrayList<>();
          for (AppRequirement x : s.apps()) {
            apps.add(x == a ? new AppRequirement(x.app(), x.kind(), x.replicas() + sc.count(), x.vm(), x.after()) : x);
          }
          after.put(s.name(), new ServiceSpec(s.name(), apps, s.rules()));
          for (int i = 1; i <= sc.count(); i++) {
            out.add(new PlacedVm(sc.app() + "-new-" + i, null, a.vm(), sc.app(), s.name()));
          }
        }
      }
      return out;
    }

    private void order(List<PlacedVm> vms) {
      Map<String, Map<String, Integer>> levels = new HashMap<>();
      for (ServiceSpec s : before.values()) {
        Map<String, Integer> level = new HashMap<>();
        try {
          List<List<String>> ls = StartOrder.levels(s);
          for (int i = 0; i < ls.size(); i++) for (String app : ls.get(i)) level.put(app, i);
        } catch (IllegalArgumentException cycle) {
          // a service with a cycle was refused when defined; order its apps as equals here
        }
        levels.put(s.name(), level);
      }
      vms.sort(Comparator.<PlacedVm>comparingInt(v -> -v.spec().restartPriority())
          // a VM outside any application has no start-order level (and Map.of() refuses a null key)
          .thenComparingInt(v -> v.app() == null ? 0 : levels.getOrDefault(serviceOf(v), Map.of()).getOrDefault(v.app(), 0))
          .thenComparing(PlacedVm::vmId, Comparator.nullsLast(Comparator.naturalOrder())));
    }

    private String serviceOf(PlacedVm vm) {
      if (vm.service() != null && before.containsKey(vm.service())) return vm.service();
      if (vm.app() == null) return null;
      for (ServiceSpec s : before.values()) if (s.app(vm.app()) != null) return s.name();
      return null;
    }

    /** App -> VMs of it on hosts that are not down. */
    private Map<String, Integer> running(List<PlacedVm> vms) {
      Map<String, HostStatus> status = new HashMap<>();
      inv.hosts().forEach(h -> status.put(h.spec().hostId(), h.status()));
      Map<String, Integer> out = new HashMap<>();
      for (PlacedVm vm : vms) {
        HostStatus st = status.get(vm.hostId());
        if (st != null && st != HostStatus.DOWN && vm.app() != null) out.merge(vm.app(), 1, Integer::sum);
      }
      return out;
    }
  }

  private static int maxUnavailable(ServiceSpec s) {
    return s == null ? ServiceRules.DEFAULT_MAX_UNAVAILABLE : s.rules().maxUnavailable();
  }

  private static Resources demand(VmSpec spec) {
    return spec == null ? Resources.ZERO : spec.demand();
  }

  private static void decrement(Map<String, Integer> m, String app) {
    if (app != null) m.merge(app, -1, Integer::sum);
  }

  private static void increment(Map<String, Integer> m, String app) {
    if (app != null) m.merge(app, 1, Integer::sum);
  }

  private static int rank(ServiceHealth h) {
    Availability a = h.availability();
    return a == Availability.AVAILABLE ? 0 : a == Availability.DEGRADED ? 1 : 2;
  }
}
