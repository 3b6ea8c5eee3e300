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
import java.time.Duration;
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

  /**
   * The host is lost (its node left or its agent saw it crash), last heard of at {@code lostSince}
   * (null: now): a host fenced by a watchdog has its VMs started elsewhere only once the fence timeout
   * (and the margin) has passed since then.
   */
  public record MarkDown(String reason, String who, java.time.Instant lostSince,
                         ActorRef<StatusReply<HostState>> replyTo) implements Command {
    /** Lost now. */
    public MarkDown(String reason, String who, ActorRef<StatusReply<HostState>> replyTo) {
      this(reason, who, null, replyTo);
    }
  }

  /**
   * An operator confirms the lost host dead (powered off, its VMs certainly stopped): the failover of
   * a host that cannot be fenced from beside it starts.
   */
  public record ConfirmDead(String who, ActorRef<StatusReply<HostState>> replyTo) implements Command {}

  /** The failover's fence wait is over (sent to itself). */
  private enum FenceWaitOver implements Command { INSTANCE }

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

  /**
   * The control program stopped VM {@code vmId}, which ran here although the cluster does not assign it
   * here; recorded with the reason (no answer).
   */
  public record RecordStop(String vmId, String reason) implements Command {}

  /** The VMs the virtual layer runs that the cluster does not know; recorded when the list changes (no answer). */
  public record SetUnmanaged(List<String> vms) implements Command {}

  /**
   * Drain the host: it goes into Maintenance (it takes no new VM) and its VMs move away, at most
   * max-unavailable replicas of an application at a time; {@code onlyTarget} moves them all onto that host
   * (a replacement), {@code retire} takes the host out of service once it is empty.
   */
  public record Drain(String onlyTarget, boolean live, boolean retire, String who,
                      ActorRef<StatusReply<HostState>> replyTo) implements Command {}

  /** End a drain: the host returns to service (Up) and takes VMs again. */
  public record Undrain(String who, ActorRef<StatusReply<HostState>> replyTo) implements Command {}

  /** Read where a drain stands. */
  public record GetDrain(ActorRef<DrainReport> replyTo) implements Command {}

  /**
   * Where a drain stands: the host's status and reason, the VMs still on it, those moving now, and those
   * waiting with the reason each waits (no room, a pinned VM, the max-unavailable rule, ...).
   */
  public record DrainReport(String hostId, String status, String reason, boolean draining, String onlyTarget,
                            List<String> remaining, List<String> moving, Map<String, String> waiting)
      implements CborSerializable {}

  private record MoveAnswered(String vmId, Throwable failure) implements Command {}

  private enum FailoverEnded implements Command { INSTANCE }

  // a drain keeps this many moves under way at once (each application's max-unavailable also applies)
  private static final int DRAIN_PARALLEL = 32;

  private final String hostId;
  private final ActorContext<Command> context;
  private final ActorRef<Scheduler.Command> scheduler;
  // null in unit tests without a cluster: no drains' moves and no failover then
  private final ClusterSharding sharding;
  // the last reservation batch this incarnation persisted, echoed to the scheduler with the host's view
  private long lastBatch = -1;
  // a drain's moves: asked and not answered yet, under way, and the VMs waiting with the reason
  private final java.util.Set<String> drainAsking = new java.util.HashSet<>();
  private final java.util.Set<String> drainMoving = new java.util.HashSet<>();
  private final Map<String, String> drainWaiting = new java.util.TreeMap<>();
  private boolean failingOver;
  private boolean fenceTimerSet;
  // added to a watchdog's fence timeout before a lost host's VMs start elsewhere: the renewal period,
  // the watchdog's polling and the time it takes to kill what ran
  private final java.time.Duration failoverMargin;

  private HostEntity(String hostId, ActorContext<Command> context, ActorRef<Scheduler.Command> scheduler,
                     ClusterSharding sharding) {
    super(PersistenceId.of(ENTITY_KEY.name(), hostId));
    this.hostId = hostId;
    this.context = context;
    this.scheduler = scheduler;
    this.sharding = sharding;
    this.failoverMargin = failoverMargin(context.getSystem().settings().config());
  }

  /** The margin added to a watchdog's fence timeout before failover ({@code avm.fencing.failover-margin}). */
  public static java.time.Duration failoverMargin(com.typesafe.config.Config config) {
    return config.hasPath("avm.fencing.failover-margin") ? config.getDuration("avm.fencing.failover-margin")
        : java.time.Duration.ofSeconds(2);
  }

  /** The behavior of host {@code hostId}, publishing its view to {@code scheduler} after every change. */
  public static Behavior<Command> create(String hostId, ActorRef<Scheduler.Command> scheduler) {
    return Behaviors.setup(ctx -> new HostEntity(hostId, ctx, scheduler, null));
  }

  /** The behavior of host {@code hostId} in a cluster: it also drains and fails over its VMs. */
  public static Behavior<Command> createInCluster(String hostId, ActorRef<Scheduler.Command> scheduler) {
    return Behaviors.setup(ctx -> new HostEntity(hostId, ctx, scheduler, ClusterSharding.get(ctx.getSystem())));
  }

  /** Starts sharding of hosts on this node, with each host's shard kept on its own node. */
  public static void init(ActorSystem<?> system, ActorRef<Scheduler.Command> scheduler) {
    ClusterSharding.get(system).init(
        Entity.of(ENTITY_KEY, (EntityContext<Command> ctx) -> createInCluster(ctx.getEntityId(), scheduler))
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
        .onCommand(ConfirmDead.class, this::onConfirmDead)
        .onCommand(FenceWaitOver.class, (s, c) -> {
          fenceTimerSet = false;
          failover(s);
          return Effect().noReply();
        })
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(ReserveBatch.class, this::onReserveBatch)
        .onCommand(Release.class, this::onRelease)
        .onCommand(ToAgent.class, this::onToAgent)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(RecordStop.class, (s, c) -> !s.registered() ? Effect().noReply()
            : Effect().persist(new HostEvent.HostVmStopped(hostId, c.vmId(), c.reason(), EventMeta.now(Who.RECONCILE)))
                .thenNoReply())
        .onCommand(SetUnmanaged.class, (s, c) -> !s.registered() || s.unmanaged().equals(c.vms()) ? Effect().noReply()
            : Effect().persist(new HostEvent.HostUnmanagedChanged(hostId, List.copyOf(c.vms()),
                EventMeta.now(Who.RECONCILE))).thenNoReply())
        .onCommand(Drain.class, this::onDrain)
        .onCommand(Undrain.class, this::onUndrain)
        .onCommand(GetDrain.class, (s, c) -> Effect().reply(c.replyTo(), drainReport(s)))
        .onCommand(MoveAnswered.class, this::onMoveAnswered)
        .onCommand(FailoverEnded.class, (s, c) -> {
          failingOver = false;
          return Effect().noReply();
        })
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
      return Effect().persist(new HostEvent.HostStatusChanged(hostId, s.draining() ? HostStatus.MAINTENANCE : HostStatus.UP,
              "control program on " + c.node() + " is back", EventMeta.now(Who.AGENT)))
          .thenRun(this::publish)
          .thenReply(c.replyTo(), StatusReply::success);
    }
    publish(s);
    if (s.draining()) return drainStep(s, c.replyTo());
    return Effect().reply(c.replyTo(), StatusReply.success(s));
  }

  private ReplyEffect<HostEvent, HostState> onMarkDown(HostState s, MarkDown c) {
    if (!s.registered()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("host " + hostId + " not found")));
    }
    if (s.status() == HostStatus.DOWN) {
      failover(s);
      return Effect().reply(c.replyTo(), StatusReply.success(s));
    }
    List<HostEvent> events = new ArrayList<>();
    EventMeta meta = EventMeta.now(c.who());
    events.add(new HostEvent.HostStatusChanged(hostId, HostStatus.DOWN, c.reason(), meta));
    HostEvent.HostFenceWait wait = fenceWait(s.spec().fencing(), c.lostSince() == null ? meta.at() : c.lostSince(), meta);
    if (wait != null) events.add(wait);
    return Effect().persist(events)
        .thenRun(st -> {
          publish(st);
          failover(st);
        })
        .thenReply(c.replyTo(), StatusReply::success);
  }

  /** What the failover of this host, lost at {@code lostSince}, waits for; null when nothing. */
  private HostEvent.HostFenceWait fenceWait(io.actorvmm.domain.Fencing fencing, java.time.Instant lostSince,
                                            EventMeta meta) {
    return switch (fencing.mode()) {
      case NONE -> null;
      case MANUAL -> new HostEvent.HostFenceWait(hostId, null, true, "its VMs cannot be stopped from beside it (" +
          fencing.describe() + "): they start elsewhere once an operator confirms the host dead (avm host confirm-dead "
          + hostId + ")", meta);
      case WATCHDOG -> {
        java.time.Instant until = lostSince.plus(fencing.timeout()).plus(failoverMargin);
        yield new HostEvent.HostFenceWait(hostId, until, false, "its watchdog stops its VMs " + fencing.timeoutMillis()
            + " ms after its last renewal (lost at " + lostSince + "): they start elsewhere from " + until
            + " on (fence timeout plus a " + failoverMargin.toMillis() + " ms margin)", meta);
      }
    };
  }

  private ReplyEffect<HostEvent, HostState> onConfirmDead(HostState s, ConfirmDead c) {
    if (!s.registered()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("host " + hostId + " not found")));
    }
    if (s.status() != HostStatus.DOWN || s.fenceWait() == null || !s.fenceWait().operator()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("host " + hostId
          + " is not waiting for a confirmation that it is dead (status " + s.status().name().toLowerCase() + ")")));
    }
    EventMeta meta = EventMeta.now(c.who());
    return Effect().persist(new HostEvent.HostFenceWait(hostId, meta.at(), false, "confirmed dead by " + io.actorvmm.domain.auth.Caller.name(c.who()), meta))
        .thenRun(this::failover)
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
        .thenRun(st -> {
          publish(st);
          if (drainMoving.remove(c.vmId()) && st.draining()) drainStep(st, null);
        })
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<HostEvent, HostState> onToAgent(HostState s, ToAgent c) {
    ActorRef<HostAgent.Command> agent = AgentRegistry.get(context.getSystem()).find(hostId);
    if (agent == null || s.status() == HostStatus.DOWN) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.unavailable(
          "control program of host " + hostId + " is not reachable")));
    }
    if (c.command() instanceof HostAgent.MoveOp m && m.op() == HostAgent.MoveOpKind.START
        && !s.reservations().containsKey(m.vmId())) {
      // a move starts a VM only where it holds a reservation: one failed over elsewhere meanwhile (its
      // reservation here released) must not run here as well
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "vm " + m.vmId() + " is no longer assigned to host " + hostId)));
    }
    agent.tell(c.command());
    return Effect().reply(c.replyTo(), StatusReply.success(s));
  }

  // ---- drain -------------------------------------------------------------------------------------------

  private ReplyEffect<HostEvent, HostState> onDrain(HostState s, Drain c) {
    if (!s.registered()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("host " + hostId + " not found")));
    }
    if (s.status() == HostStatus.DOWN) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("host " + hostId
          + " is down; its VMs fail over instead")));
    }
    if (hostId.equals(c.onlyTarget())) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid("host " + hostId
          + " cannot be drained onto itself")));
    }
    HostState.Drain d = new HostState.Drain(c.onlyTarget(), c.live(), c.retire(), c.who());
    if (d.equals(s.drain())) return Effect().reply(c.replyTo(), StatusReply.success(s));
    String why = (c.retire() ? "being replaced" : "draining") + (c.onlyTarget() == null ? "" : " onto " + c.onlyTarget())
        + ": requested by " + io.actorvmm.domain.auth.Caller.name(c.who());
    return Effect().persist(new HostEvent.HostDrainChanged(hostId, d, why, EventMeta.now(c.who())))
        .thenRun(st -> {
          publish(st);
          drainStep(st, null);
        })
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<HostEvent, HostState> onUndrain(HostState s, Undrain c) {
    if (!s.registered()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("host " + hostId + " not found")));
    }
    if (!s.draining()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("host " + hostId + " is not drained")));
    }
    drainWaiting.clear();
    return Effect().persist(new HostEvent.HostDrainChanged(hostId, null, "returned to service by " + io.actorvmm.domain.auth.Caller.name(c.who()),
            EventMeta.now(c.who())))
        .thenRun(this::publish)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  /**
   * One round of a drain: asks the moves of the host's VMs in the plan's order (restart priority, then
   * start order), keeping at most max-unavailable replicas of an application and {@value #DRAIN_PARALLEL}
   * VMs moving at once; records why each other VM waits. Once the host is empty the drain is done.
   */
  private ReplyEffect<HostEvent, HostState> drainStep(HostState s, ActorRef<StatusReply<HostState>> replyTo) {
    if (sharding == null || !s.draining() || s.status() == HostStatus.DOWN) {
      return replyTo == null ? Effect().noReply() : Effect().reply(replyTo, StatusReply.success(s));
    }
    drainMoving.retainAll(s.reservations().keySet());
    drainWaiting.keySet().retainAll(s.reservations().keySet());
    if (s.reservations().isEmpty()) {
      String done = s.drain().retire() ? "retired: its VMs moved" + (s.drain().onlyTarget() == null ? ""
          : " to " + s.drain().onlyTarget()) + "; it takes no VMs" : "drained: no VMs left; undrain returns it to service";
      if (!done.equals(s.statusReason())) {
        var e = new HostEvent.HostStatusChanged(hostId, HostStatus.MAINTENANCE, done, EventMeta.now(Who.DRAIN));
        return replyTo == null ? Effect().persist(e).thenRun(this::publish).thenNoReply()
            : Effect().persist(e).thenRun(this::publish).thenReply(replyTo, StatusReply::success);
      }
      return replyTo == null ? Effect().noReply() : Effect().reply(replyTo, StatusReply.success(s));
    }
    io.actorvmm.runtime.move.ReadSide read = io.actorvmm.runtime.move.ReadSide.get(context.getSystem());
    List<String> order = io.actorvmm.runtime.move.DrainPlan.order(read, hostId, s.reservations().keySet());
    Map<String, Integer> busy = new java.util.HashMap<>();
    for (String vm : drainMoving) busy.merge(appOf(s, vm), 1, Integer::sum);
    for (String vm : drainAsking) busy.merge(appOf(s, vm), 1, Integer::sum);
    int inFlight = drainMoving.size() + drainAsking.size();
    for (String vm : order) {
      if (drainAsking.contains(vm)) continue;
      String app = appOf(s, vm);
      if (!drainMoving.contains(vm)) {
        int max = s.drain().live() ? Integer.MAX_VALUE : read.maxUnavailable(app.isEmpty() ? null : app);
        if (!app.isEmpty() && busy.getOrDefault(app, 0) >= max) {
          drainWaiting.put(vm, "waits for " + busy.get(app) + " other replica" + (busy.get(app) == 1 ? "" : "s")
              + " of " + app + " to finish moving (max unavailable " + max + ")");
          continue;
        }
        if (inFlight >= DRAIN_PARALLEL) {
          drainWaiting.putIfAbsent(vm, "waits for a free move slot");
          continue;
        }
        busy.merge(app, 1, Integer::sum);
        inFlight++;
      }
      drainAsking.add(vm);
      String why = "drain of host " + hostId + " requested by " + io.actorvmm.domain.auth.Caller.name(s.drain().who());
      context.askWithStatus(io.actorvmm.runtime.move.MoveState.class,
          sharding.entityRefFor(io.actorvmm.runtime.move.MoveEntity.ENTITY_KEY, vm), Duration.ofSeconds(15),
          r -> new io.actorvmm.runtime.move.MoveEntity.Request(s.drain().onlyTarget(), s.drain().live(), why, Who.DRAIN, r,
              hostId),
          (ok, err) -> new MoveAnswered(vm, err));
    }
    return replyTo == null ? Effect().noReply() : Effect().reply(replyTo, StatusReply.success(s));
  }

  private static String appOf(HostState s, String vm) {
    HostState.Reservation r = s.reservations().get(vm);
    return r == null || r.appId() == null ? "" : r.appId();
  }

  private ReplyEffect<HostEvent, HostState> onMoveAnswered(HostState s, MoveAnswered a) {
    drainAsking.remove(a.vmId());
    if (a.failure() == null) {
      drainMoving.add(a.vmId());
      drainWaiting.remove(a.vmId());
      return Effect().noReply();
    }
    String why = a.failure() instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage
        ? Rejection.decode(a.failure().getMessage()).message() : "move not answered: " + a.failure().getMessage();
    if (why.contains(" is already moving") || why.contains(" no longer runs on host ")) {
      drainMoving.add(a.vmId());
      drainWaiting.remove(a.vmId());
    } else {
      drainMoving.remove(a.vmId());
      if (s.reservations().containsKey(a.vmId())) drainWaiting.put(a.vmId(), why);
    }
    return Effect().noReply();
  }

  private DrainReport drainReport(HostState s) {
    List<String> remaining = new ArrayList<>(s.reservations().keySet());
    remaining.sort(String::compareTo);
    List<String> moving = new ArrayList<>(drainMoving);
    moving.retainAll(s.reservations().keySet());
    moving.sort(String::compareTo);
    Map<String, String> waiting = new java.util.TreeMap<>(drainWaiting);
    waiting.keySet().retainAll(s.reservations().keySet());
    waiting.keySet().removeAll(moving);
    return new DrainReport(hostId, s.registered() ? s.status().name().toLowerCase() : null, s.statusReason(), s.draining(),
        s.drain() == null ? null : s.drain().onlyTarget(), remaining, moving, waiting);
  }

  // ---- failover ----------------------------------------------------------------------------------------

  /** Starts restarting the VMs of a down host elsewhere (once per incarnation at a time). */
  private void failover(HostState s) {
    if (sharding == null || failingOver || s.status() != HostStatus.DOWN || s.reservations().isEmpty()) return;
    java.time.Instant now = java.time.Instant.now();
    if (s.fenceWait() != null && s.fenceWait().holds(now)) {
      // an operator's confirmation arrives as a command; a watchdog's timeout is waited for here
      if (!s.fenceWait().operator() && !fenceTimerSet) {
        fenceTimerSet = true;
        context.scheduleOnce(java.time.Duration.between(now, s.fenceWait().until()).plusMillis(1), context.getSelf(),
            FenceWaitOver.INSTANCE);
      }
      return;
    }
    failingOver = true;
    var child = context.spawnAnonymous(io.actorvmm.runtime.move.Failover.create(hostId, s.statusReason(),
        List.copyOf(s.reservations().keySet())));
    context.watchWith(child, FailoverEnded.INSTANCE);
  }

  private void publish(HostState s) {
    if (s.registered()) scheduler.tell(new Scheduler.HostUpdated(s.candidate(), lastBatch, revision()));
  }

  @Override
  public org.apache.pekko.persistence.typed.javadsl.SignalHandler<HostState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(org.apache.pekko.persistence.typed.RecoveryCompleted.instance(), s -> {
          // a failover or drain cut short by a crash goes on where this incarnation finds it
          failover(s);
          if (s.draining()) context.getSelf().tell(Publish.INSTANCE);
        })
        .build();
  }

  @Override
  public EventHandler<HostState, HostEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(HostState::apply);
  }
}
