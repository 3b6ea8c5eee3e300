package io.actorvmm.runtime.cluster;

import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.host.HostAllocationStrategy;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.runtime.move.ReadSide;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.StatusReply;

/**
 * A singleton on seed nodes that turns membership into host status: when a node that ran hosts
 * leaves the cluster or is downed, each of its hosts is marked Down with the reason. Events alone are
 * not enough: a monitor that starts after a member is gone (its node was the oldest and ran the monitor)
 * never sees it leave. So at start and every second it also compares the hosts the node's read side
 * believes up with the members that exist, and marks down a host that no member runs (Up, WeaklyUp,
 * Leaving, or on its way out: Exiting, Down). At once, not after a second look: the first check after such a monitor starts is already some
 * 10 s after the node died (it was downed and removed first), and every further second is a second of
 * outage for the host's VMs. A node's host registers only once its member is Up (its shard region waits
 * for that), so a joining node's host is not marked down by mistake.
 */
public final class HostMonitor {

  /** What the monitor handles: membership changes and its own periodic check. */
  public interface Command {}

  /** A membership change the monitor subscribed to. */
  public record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {}

  /** A reachability change the monitor subscribed to. */
  public record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {}

  /** Compare the hosts believed up with the members that exist. */
  public enum Check implements Command { INSTANCE }

  /** How often the monitor compares believed-up hosts with the members. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private HostMonitor() {}

  /**
   * The monitor's behavior; {@code believedUp} lists the hosts the cluster records as registered and not
   * Down (the node's inventory read side).
   */
  public static Behavior<Command> create(EntityRefs refs, Supplier<Collection<String>> believedUp) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
      Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
          ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
          ClusterEvent.ReachabilityEvent.class));
      timers.startTimerWithFixedDelay(Check.INSTANCE, CHECK_EVERY);
      ctx.getSelf().tell(Check.INSTANCE);
      // when each node was first seen unreachable: the last instant it can have renewed its watchdog
      // is no later than that (a node cut off stops renewing as soon as it sees itself outside the
      // majority), so a lost host's fence wait counts from there; a node this monitor never saw become
      // unreachable (it started on another node meanwhile) counts from when the monitor learns of it
      Map<Address, Instant> unreachableSince = new HashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(ReachabilityChanged.class, m -> {
            if (m.event() instanceof ClusterEvent.UnreachableMember e) {
              unreachableSince.putIfAbsent(e.member().address(), Instant.now());
            } else if (m.event() instanceof ClusterEvent.ReachableMember e) {
              unreachableSince.remove(e.member().address());
            }
            return Behaviors.same();
          })
          .onMessage(MembershipChanged.class, m -> {
            if (m.event() instanceof ClusterEvent.MemberRemoved e) {
              markDown(ctx.getSystem(), refs, e.member(), "node " + e.member().address() + " left the cluster",
                  unreachableSince.remove(e.member().address()));
            } else if (m.event() instanceof ClusterEvent.MemberDowned e) {
              markDown(ctx.getSystem(), refs, e.member(), "node " + e.member().address() + " was downed",
                  unreachableSince.get(e.member().address()));
            }
            return Behaviors.same();
          })
          .onMessage(Check.class, c -> {
            for (String hostId : hostsWithoutMember(Cluster.get(ctx.getSystem()).state().getMembers(),
                believedUp.get())) {
              markDown(ctx.getSystem(), refs, hostId, "no member of the cluster runs host " + hostId, Instant.now());
            }
            return Behaviors.same();
          })
          .build();
    }));
  }

  /**
   * The hosts of {@code believedUp} that no member among {@code members} runs: none that is Up, WeaklyUp or
   * Leaving, nor Exiting or Down (the events about those come soon and say more).
   */
  static Set<String> hostsWithoutMember(Iterable<Member> members, Collection<String> believedUp) {
    Set<String> run = new HashSet<>();
    for (Member m : members) {
      MemberStatus st = m.status();
      // Exiting and Down members are on their way out: their MemberRemoved or MemberDowned event marks
      // their hosts down with the better reason ("left the cluster", "was downed"); Joining ones do not run
      // their hosts yet
      if (st != MemberStatus.up() && st != MemberStatus.weaklyUp() && st != MemberStatus.leaving()
          && st != MemberStatus.exiting() && st != MemberStatus.down()) {
        continue;
      }
      for (String role : m.getRoles()) {
        if (role.startsWith(HostAllocationStrategy.ROLE_PREFIX)) {
          run.add(role.substring(HostAllocationStrategy.ROLE_PREFIX.length()));
        }
      }
    }
    Set<String> missing = new TreeSet<>(believedUp);
    missing.removeAll(run);
    return missing;
  }

  /** The hosts the node's read side records as registered and not Down. */
  static Collection<String> believedUp(ActorSystem<?> system) {
    List<String> out = new ArrayList<>();
    for (HostState h : ReadSide.get(system).inventory().hosts()) {
      if (h.registered() && h.status() != HostStatus.DOWN) out.add(h.hostId());
    }
    return out;
  }

  private static void markDown(ActorSystem<?> system, EntityRefs refs, Member member, String reason, Instant lostSince) {
    Instant since = lostSince == null ? Instant.now() : lostSince;
    for (String role : member.getRoles()) {
      if (role.startsWith(HostAllocationStrategy.ROLE_PREFIX)) {
        String hostId = role.substring(HostAllocationStrategy.ROLE_PREFIX.length());
        markDown(system, refs, hostId, reason, since);
      }
    }
  }

  // hosts whose mark-down is being delivered, so the periodic check does not start a second delivery
  private static final Set<String> DELIVERING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static void markDown(ActorSystem<?> system, EntityRefs refs, String hostId, String reason,
                               Instant lostSince) {
    if (DELIVERING.add(system.address() + "/" + hostId)) deliverMarkDown(system, refs, hostId, reason, lostSince, 1);
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
          } else {
            DELIVERING.remove(system.address() + "/" + hostId);
          }
        });
  }

  /** Starts (or joins) the singleton on seed nodes. */
  public static void init(ActorSystem<?> system) {
    ClusterSingleton.get(system).init(SingletonActor.of(
            Behaviors.supervise(create(EntityRefs.sharded(system), () -> believedUp(system)))
                .onFailure(SupervisorStrategy.restart()),
            "host-monitor")
        .withSettings(ClusterSingletonSettings.create(system).withRole("seed")));
  }
}
