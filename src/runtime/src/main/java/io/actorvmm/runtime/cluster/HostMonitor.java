package io.actorvmm.runtime.cluster;

import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.host.HostAllocationStrategy;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.StatusReply;

/**
 * A singleton on seed nodes that turns membership into host status: when a node that ran hosts
 * leaves the cluster or is downed, each of its hosts is marked Down with the reason.
 */
public final class HostMonitor {

  private HostMonitor() {}

  /** The monitor's behavior. */
  public static Behavior<ClusterEvent.ClusterDomainEvent> create(EntityRefs refs) {
    return Behaviors.setup(ctx -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.getSelf().<ClusterEvent.MemberEvent>narrow(), ClusterEvent.MemberEvent.class));
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.getSelf().<ClusterEvent.ReachabilityEvent>narrow(), ClusterEvent.ReachabilityEvent.class));
      // when each node was first seen unreachable: the last instant it can have renewed its watchdog
      // is no later than that (a node cut off stops renewing as soon as it sees itself outside the
      // majority), so a lost host's fence wait counts from there; a node this monitor never saw become
      // unreachable (it started on another node meanwhile) counts from when the monitor learns of it
      Map<Address, Instant> unreachableSince = new HashMap<>();
      return Behaviors.receive(ClusterEvent.ClusterDomainEvent.class)
          .onMessage(ClusterEvent.UnreachableMember.class, e -> {
            unreachableSince.putIfAbsent(e.member().address(), Instant.now());
            return Behaviors.same();
          })
          .onMessage(ClusterEvent.ReachableMember.class, e -> {
            unreachableSince.remove(e.member().address());
            return Behaviors.same();
          })
          .onMessage(ClusterEvent.MemberRemoved.class, e -> {
            Instant since = unreachableSince.remove(e.member().address());
            markDown(ctx.getSystem(), refs, e.member(), "node " + e.member().address() + " left the cluster", since);
            return Behaviors.same();
          })
          .onMessage(ClusterEvent.MemberDowned.class, e -> {
            markDown(ctx.getSystem(), refs, e.member(), "node " + e.member().address() + " was downed",
                unreachableSince.get(e.member().address()));
            return Behaviors.same();
          })
          .onAnyMessage(e -> Behaviors.same())
          .build();
    });
  }

  private static void markDown(ActorSystem<?> system, EntityRefs refs, Member member, String reason, Instant lostSince) {
    Instant since = lostSince == null ? Instant.now() : lostSince;
    for (String role : member.getRoles()) {
      if (role.startsWith(HostAllocationStrategy.ROLE_PREFIX)) {
        String hostId = role.substring(HostAllocationStrategy.ROLE_PREFIX.length());
        deliverMarkDown(system, refs, hostId, reason, since, 1);
      }
    }
  }

  // asked often: the host's failover starts with this answer, so each second of delay is a second of outage
  private static final Duration MARK_DOWN_ASK = Duration.ofMillis(1500);
  private static final Duration MARK_DOWN_PAUSE = Duration.ofMillis(250);
  private static final int MARK_DOWN_ATTEMPTS = 150;

  /**
   * Asks the host to mark itself down until it confirms. The host's shard usually lived on the lost
   * node: until the shard coordinator learns that node's region is gone, sharding still routes to
   * it and a plain tell is silently lost, leaving the host up forever.
   */
  private static void deliverMarkDown(ActorSystem<?> system, EntityRefs refs, String hostId, String reason,
                                      Instant lostSince, int attempt) {
    AskPattern.<HostEntity.Command, HostState>askWithStatus(refs.host(hostId),
            r -> new HostEntity.MarkDown(reason, Who.MONITOR, lostSince, r), MARK_DOWN_ASK, system.scheduler())
        .whenComplete((state, err) -> {
          Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
              ? err.getCause() : err;
          // a refusal (say, a host that never registered) is an answer; only silence is retried
          boolean unanswered = cause != null && !(cause instanceof StatusReply.ErrorMessage);
          if (unanswered && attempt < MARK_DOWN_ATTEMPTS && !system.whenTerminated().isCompleted()) {
            system.scheduler().scheduleOnce(MARK_DOWN_PAUSE,
                () -> deliverMarkDown(system, refs, hostId, reason, lostSince, attempt + 1), system.executionContext());
          }
        });
  }

  /** Starts (or joins) the singleton on seed nodes. */
  public static void init(ActorSystem<?> system) {
    ClusterSingleton.get(system).init(SingletonActor.of(
            Behaviors.supervise(create(EntityRefs.sharded(system))).onFailure(SupervisorStrategy.restart()),
            "host-monitor")
        .withSettings(ClusterSingletonSettings.create(system).withRole("seed")));
  }
}
