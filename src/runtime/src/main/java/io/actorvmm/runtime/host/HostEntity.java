package io.actorvmm.runtime.host;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Rejection;
import io.actorvmm.domain.Resources;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.Tags;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.agent.AgentRegistry;
import io.actorvmm.runtime.agent.HostAgent;
import io.actorvmm.runtime.scheduler.Scheduler;
import io.actorvmm.domain.placement.HostCandidate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;

/**
 * A physical machine: its registered capacity, runtimes, site, security level and cost rates; its
 * status; and the reservations of the VMs assigned to it, which never exceed its capacity. The
 * entity lives on the host's own node while that node is up (see {@link HostAllocationStrategy}),
 * so it reaches the host's control program locally.
 */
public final class HostEntity
    extends EventSourcedBehaviorWithEnforcedReplies<HostEntity.Command, HostEvent, HostState> {

  /** The sharding key of hosts. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Host");

  /** Every command a host accepts. */
  public interface Command extends CborSerializable {}

  /** The control program registers the host with its spec, from the node it runs on. */
  public record Register(HostSpec spec, String node, String who, ActorRef<StatusReply<HostState>> replyTo)
      implements Command {}

  /** The control program is alive; a Down host comes back Up. */
  public record Heartbeat(String node, ActorRef<StatusReply<HostState>> replyTo) implements Command {}

  /** The host is lost (its node left or its agent saw it crash). */
  public record MarkDown(String reason, String who, ActorRef<StatusReply<HostState>> replyTo) implements Command {}

  /** Reserve capacity for a VM; refused when it does not fit, the host is not Up, or anti-affinity would break. */
  public record Reserve(String vmId, String appId, Resources resources, Set<String> distinctFromApps, String who,
                        ActorRef<StatusReply<HostState>> replyTo) implements Command {}

  /** One VM's reservation inside a {@link ReserveBatch}; {@code maxPerHost} 0 means no limit. */
  public record ReserveItem(String vmId, String appId, Resources resources, Set<String> distinctFromApps,
                            int maxPerHost) implements CborSerializable {}

  /**
   * Reserve capacity for several VMs at once, as the scheduler does: each item is checked in order
   * against the state the items before it leave, the accepted ones are persisted in one write, and
   * the answer names every refused item with its reason.
   */
  public record ReserveBatch(long batchId, List<ReserveItem> items, String who, ActorRef<BatchReserved> replyTo)
      implements Command {}

  /** The answer to a {@link ReserveBatch}: the host's view after it, and the refused VMs with their reasons. */
  public record BatchReserved(String hostId, long batchId, long revision, HostCandidate host,
                              Map<String, String> refused) implements CborSerializable {}

  /** Release a VM's reservation (idempotent). */
  public record Release(String vmId, String reason, String who, ActorRef<StatusReply<HostState>> replyTo)
      implements Command {}

  /** Pass a command to the host's control program, which runs on the host's own node. */
  public record ToAgent(HostAgent.Command command, ActorRef<StatusReply<HostState>> replyTo) implements Command {}

  /** Send the current view to the scheduler again (it suspects its copy is stale). */
  public enum Publish implements Command { INSTANCE }

  /** Read the state. */
  public record Get(ActorRef<HostState> replyTo) implements Command {}

  private final String hostId;
  private final ActorContext<Command> context;
  private final ActorRef<Scheduler.Command> scheduler;
  // the last reservation batch this incarnation persisted, echoed to the scheduler with the host's view
  private long lastBatch = -1;

  private HostEntity(String hostId, ActorContext<Command> context, ActorRef<Scheduler.Command> scheduler) {
    super(PersistenceId.of(ENTITY_KEY.name(), hostId));
    this.hostId = hostId;
    this.context = context;
    this.scheduler = scheduler;
  }

  /** The behavior of host {@code hostId}, publishing its view to {@code scheduler} after every change. */
  public static Behavior<Command> create(String hostId, ActorRef<Scheduler.Command> scheduler) {
    return Behaviors.setup(ctx -> new HostEntity(hostId, ctx, scheduler));
  }

  /** Starts sharding of hosts on this node, with each host's shard kept on its own node. */
  public static void init(ActorSystem<?> system, ActorRef<Scheduler.Command> scheduler) {
    ClusterSharding.get(system).init(
        Entity.of(ENTITY_KEY, (EntityContext<Command> ctx) -> create(ctx.getEntityId(), scheduler))
            // one shard per host, so a shard can follow its host's node
            .withMessageExtractor(new HostShardOf())
            .withAllocationStrategy(new HostAllocationStrategy()));
  }

  @Override
  public HostState emptyState() {
    return HostState.empty(hostId);
  }

  @Override
  public Set<String> tagsFor(HostEvent event) {
    return Tags.ALL;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // hosts collect many reservation events; snapshots keep their recovery short
    return RetentionCriteria.snapshotEvery(500, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, HostEvent, HostState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(Heartbeat.class, this::onHeartbeat)
        .onCommand(MarkDown.class, this::onMarkDown)
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(ReserveBatch.class, this::onReserveBatch)
        .onCommand(Release.class, this::onRelease)
        .onCommand(ToAgent.class, this::onToAgent)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(Publish.class, (s, c) -> {
          publish(s);
          return Effect().noReply();
        })
        .build();
  }

  private ReplyEffect<HostEvent, HostState> onRegister(HostState s, Register c) {
    var problems = c.spec().problems();
    if (!problems.isEmpty()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid(problems.get(0))));
    if (!hostId.equals(c.spec().hostId())) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid("spec names host " + c.spec().hostId())));
    }
    if (s.registered() && s.spec().equals(c.spec()) && s.status() == HostStatus.UP && c.node().equals(s.node())) {
      publish(s);
      return Effect().reply(c.replyTo(), StatusReply.success(s));
    }
    if (s.registered() && !c.spec().capacity().fits(s.used())) {
      // a host may shrink only to what its VMs already hold
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "host " + hostId + " cannot shrink below what its VMs reserve")));
    }
    return Effect().persist(new HostEvent.HostRegistered(hostId, c.spec(), c.node(), EventMeta.now(c.who())))
        .thenRun(this::publish)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<HostEvent, HostState> onHeartbeat(HostState s, Heartbeat c) {
    if (!s.registered()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("host " + hostId + " not registered")));
    }
    if (s.status() == HostStatus.DOWN) {
      return Effect().persist(new HostEvent.HostStatusChanged(hostId, HostStatus.UP,
              "control program on " + c.node() + " is back", EventMeta.now(Who.AGENT)))
          .thenRun(this::publish)
          .thenReply(c.replyTo(), StatusReply::success);
    }
    publish(s);
    return Effect().reply(c.replyTo(), StatusReply.success(s));
  }

  private ReplyEffect<HostEvent, HostState> onMarkDown(HostState s, MarkDown c) {
    if (!s.registered()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("host " + hostId + " not found")));
    }
    if (s.status() == HostStatus.DOWN) return Effect().reply(c.replyTo(), StatusReply.success(s));
    return Effect().persist(new HostEvent.HostStatusChanged(hostId, HostStatus.DOWN, c.reason(),
            EventMeta.now(c.who())))
        .thenRun(this::publish)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<HostEvent, HostState> onReserve(HostState s, Reserve c) {
    if (s.reservations().containsKey(c.vmId())) return Effect().reply(c.replyTo(), StatusReply.success(s));
    String refused = refusal(s, new ReserveItem(c.vmId(), c.appId(), c.resources(), c.distinctFromApps(), 0));
    if (refused != null) return Effect().reply(c.replyTo(), StatusReply.error(refused));
    return Effect().persist(new HostEvent.CapacityReserved(hostId, c.vmId(), c.appId() == null ? "" : c.appId(),
            c.resources(), EventMeta.now(c.who())))
        .thenRun(this::publish)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<HostEvent, HostState> onReserveBatch(HostState s, ReserveBatch c) {
    List<HostEvent> events = new ArrayList<>();
    Map<String, String> refused = new LinkedHashMap<>();
    HostState after = s;
    EventMeta meta = EventMeta.now(c.who());
    for (ReserveItem item : c.items()) {
      if (after.reservations().containsKey(item.vmId())) continue;  // reserved before: idempotent
      String why = refusal(after, item);
      if (why != null) {
        refused.put(item.vmId(), Rejection.decode(why).message());
        continue;
      }
      HostEvent e = new HostEvent.CapacityReserved(hostId, item.vmId(), item.appId() == null ? "" : item.appId(),
          item.resources(), meta);
      events.add(e);
      after = after.apply(e);
    }
    if (events.isEmpty()) {
      lastBatch = c.batchId();
      return Effect().reply(c.replyTo(), new BatchReserved(hostId, c.batchId(), revision(), s.candidate(), refused));
    }
    return Effect().persist(events)
        .thenRun(st -> {
          lastBatch = c.batchId();
          publish(st);
        })
        .thenReply(c.replyTo(), st -> new BatchReserved(hostId, c.batchId(), revision(), st.candidate(), refused));
  }

  /** Why the host cannot take {@code item} now (a tagged rejection), or null when it can. */
  private String refusal(HostState s, ReserveItem item) {
    if (!s.registered()) return Rejection.notFound("host " + hostId + " not found");
    if (s.status() != HostStatus.UP) {
      return Rejection.conflict("host " + hostId + (s.status() == HostStatus.DOWN ? " is down" : " is in maintenance"));
    }
    String lacking = s.free().shortfall(item.resources());
    if (lacking != null) return Rejection.conflict("host " + hostId + " lacks " + lacking);
    for (String app : item.distinctFromApps()) {
      int n = s.replicas(app);
      if (n > 0) {
        return Rejection.conflict("host " + hostId + " already runs " + n + (n == 1 ? " replica" : " replicas")
            + " of " + app);
      }
    }
    if (item.maxPerHost() > 0 && item.appId() != null && s.replicas(item.appId()) >= item.maxPerHost()) {
      return Rejection.conflict("host " + hostId + " already runs the maximum of " + item.maxPerHost() + " of "
          + item.appId());
    }
    return null;
  }

  private long revision() {
    return lastSequenceNumber(context);
  }

  private ReplyEffect<HostEvent, HostState> onRelease(HostState s, Release c) {
    if (!s.reservations().containsKey(c.vmId())) return Effect().reply(c.replyTo(), StatusReply.success(s));
    return Effect().persist(new HostEvent.CapacityReleased(hostId, c.vmId(), c.reason(), EventMeta.now(c.who())))
        .thenRun(this::publish)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<HostEvent, HostState> onToAgent(HostState s, ToAgent c) {
    ActorRef<HostAgent.Command> agent = AgentRegistry.get(context.getSystem()).find(hostId);
    if (agent == null || s.status() == HostStatus.DOWN) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.unavailable(
          "control program of host " + hostId + " is not reachable")));
    }
    agent.tell(c.command());
    return Effect().reply(c.replyTo(), StatusReply.success(s));
  }

  private void publish(HostState s) {
    if (s.registered()) scheduler.tell(new Scheduler.HostUpdated(s.candidate(), lastBatch, revision()));
  }

  @Override
  public EventHandler<HostState, HostEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(HostState::apply);
  }
}
