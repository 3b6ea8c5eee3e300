package io.actorvmm.runtime.move;

import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.domain.service.StartOrder;
import io.actorvmm.runtime.service.ServiceState;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * Restarts the VMs of a lost host elsewhere, spawned by the host's entity when the host goes Down.
 * VMs go in groups: higher restart priority first, then earlier in their service's start order (a
 * database before the payment application that needs it); a group is placed before the next one is
 * asked. Each VM decides itself: one whose data lived only on the lost host is marked "data
 * unavailable" and stays down unless its spec says its data is replicated or disposable.
 */
public final class Failover {
  private Failover() {}

  private record Answered(String vmId) {}

  private static final Duration ASK = Duration.ofSeconds(20);

  /** Fails over {@code vmIds} of host {@code hostId}, lost because of {@code reason}; stops when done. */
  public static Behavior<Object> create(String hostId, String reason, List<String> vmIds) {
    return Behaviors.setup(ctx -> {
      List<List<String>> groups = groups(ReadSide.get(ctx.getSystem()), vmIds);
      ctx.getLog().info("host {} lost ({}): failing over {} VMs in {} groups", hostId, reason, vmIds.size(),
          groups.size());
      return next(ctx, hostId, reason, groups, 0);
    });
  }

  private static Behavior<Object> next(ActorContext<Object> ctx, String hostId, String reason, List<List<String>> groups,
                                       int index) {
    if (index >= groups.size()) return Behaviors.stopped();
    ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
    Set<String> waiting = new HashSet<>(groups.get(index));
    for (String vm : groups.get(index)) {
      ctx.askWithStatus(VmState.class, sharding.entityRefFor(VmEntity.ENTITY_KEY, vm), ASK,
          r -> new VmEntity.HostLost(hostId, reason, r), (ok, err) -> new Answered(vm));
    }
    return Behaviors.receive(Object.class)
        .onMessage(Answered.class, a -> {
          waiting.remove(a.vmId());
          return waiting.isEmpty() ? next(ctx, hostId, reason, groups, index + 1) : Behaviors.same();
        })
        .build();
  }

  /** The VMs in failover groups: restart priority (highest first), then start-order level, then id. */
  static List<List<String>> groups(ReadSide read, List<String> vmIds) {
    Map<String, VmState> vms = new HashMap<>();
    for (VmState v : read.inventory().vms()) vms.put(v.vmId(), v);
    Map<String, Integer> level = new HashMap<>();
    for (ServiceState s : read.inventory().services()) {
      ServiceSpec spec = s.spec();
      if (spec == null) continue;
      try {
        List<List<String>> ls = StartOrder.levels(spec);
        for (int i = 0; i < ls.size(); i++) for (String app : ls.get(i)) level.merge(app, i, Math::max);
      } catch (IllegalArgumentException cycle) {
        // a service with a cycle was refused when defined
      }
    }
    TreeMap<String, List<String>> byKey = new TreeMap<>();
    List<String> sorted = new ArrayList<>(vmIds);
    sorted.sort(Comparator.naturalOrder());
    for (String id : sorted) {
      VmState v = vms.get(id);
      int priority = v == null || v.spec() == null ? 0 : v.spec().restartPriority();
      int lvl = v == null || v.appId() == null ? 0 : level.getOrDefault(v.appId(), 0);
      String key = String.format("%010d/%05d", Integer.MAX_VALUE - priority, lvl);
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
    }
    return List.copyOf(byKey.values());
  }
}
