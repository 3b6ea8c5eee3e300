package io.actorvmm.runtime.vm;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.Rejection;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.Tags;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.agent.HostAgent;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.scheduler.Scheduler;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A virtual machine: its spec and its lifecycle Defined → Placed → Copying → Booting → Running →
 * Stopping → Stopped (and Failed, Deleted). Starting asks the scheduler for a host; the chosen host's
 * control program copies and boots the VM and reports each step here. After a crash the entity
 * resumes an unfinished start or stop from its last persisted step.
 */
public final class VmEntity extends EventSourcedBehaviorWithEnforcedReplies<VmEntity.Command, VmEvent, VmState> {

  /** The sharding key of VMs. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Vm");

  private static final Duration ASK = Duration.ofSeconds(15);

  /** Every command a VM accepts. */
  public interface Command extends CborSerializable {}

  /** Define the VM; {@code appId} null for a VM outside any application. */
  public record Create(VmSpec spec, String appId, Set<String> distinctFromApps, PlacementRules rules, String who,
                       ActorRef<StatusReply<VmState>> replyTo) implements Command {
    /** A VM without placement rules besides anti-affinity. */
    public Create(VmSpec spec, String appId, Set<String> distinctFromApps, String who,
                  ActorRef<StatusReply<VmState>> replyTo) {
      this(spec, appId, distinctFromApps, PlacementRules.NONE, who, replyTo);
    }
  }

  /** Place and boot the VM; answers once it is placed (or refused, with the reason). */
  public record Start(String who, ActorRef<StatusReply<VmState>> replyTo) implements Command {}

  /** The scheduler sees room again: a Pending VM tries to get placed (others ignore it). */
  public enum RetryPlacement implements Command { INSTANCE }

  /** Stop the VM; answers once the stop is under way. */
  public record Stop(String who, ActorRef<StatusReply<VmState>> replyTo) implements Command {}

  /** Delete a VM that does not run. */
  public record Delete(String who, ActorRef<StatusReply<VmState>> replyTo) implements Command {}

  /** The host's control program reports a step: copying (with percent), booting, running, stopped or failed. */
  public record AgentReport(String hostId, VmPhase phase, int percent, String reason) implements Command {}

  /** Read the state. */
  public record Get(ActorRef<VmState> replyTo) implements Command {}

  /**
   * A move takes hold of the VM (idempotent for the same move): refused unless the VM runs on
   * {@code fromHost} and no other move holds it. Start, stop, delete and host reports wait until the move ends.
   */
  public record ClaimForMove(long moveId, String fromHost, String toHost, boolean live, String who,
                             ActorRef<StatusReply<VmState>> replyTo) implements Command {}

  /** The move reports what the VM is doing now (no answer). */
  public record MoveProgress(long moveId, VmPhase phase, int percent, String reason) implements Command {}

  /** The move assigns the VM to its target host, whose data it now is (idempotent). */
  public record AssignForMove(long moveId, String toHost, String who, ActorRef<StatusReply<VmState>> replyTo)
      implements Command {}

  /** The move ends with the VM on {@code hostId} in {@code phase} (idempotent). */
  public record EndMove(long moveId, String hostId, VmPhase phase, boolean completed, String reason, String who,
                        ActorRef<StatusReply<VmState>> replyTo) implements Command {}

  /**
   * The VM's host {@code hostId} was lost. A VM that held it is marked lost; unless its data lived only
   * there it is placed again, and the answer comes once it is placed (or refused).
   */
  public record HostLost(String hostId, String reason, ActorRef<StatusReply<VmState>> replyTo) implements Command {}

  private record PlacementAnswered(Scheduler.PlaceResult result, Throwable failure, String who,
                                   ActorRef<StatusReply<VmState>> replyTo) implements Command {}

  private record AgentUnreachable(String hostId, String reason) implements Command {}

  private enum Delivered implements Command { INSTANCE }

  private final String vmId;
  private final ActorContext<Command> context;
  private final ActorRef<Scheduler.Command> scheduler;
  private final EntityRefs refs;
  // a start waits for the scheduler without persisting; a second start meanwhile is refused
  private boolean placing;

  private VmEntity(String vmId, ActorContext<Command> context, ActorRef<Scheduler.Command> scheduler,
                   EntityRefs refs) {
    super(PersistenceId.of(ENTITY_KEY.name(), vmId));
    this.vmId = vmId;
    this.context = context;
    this.scheduler = scheduler;
    this.refs = refs;
  }

  /** The behavior of VM {@code vmId}. */
  public static Behavior<Command> create(String vmId, ActorRef<Scheduler.Command> scheduler, EntityRefs refs) {
    return Behaviors.setup(ctx -> new VmEntity(vmId, ctx, scheduler, refs));
  }

  /** Starts sharding of VMs on this node. */
  public static void init(ActorSystem<?> system, ActorRef<Scheduler.Command> scheduler) {
    EntityRefs refs = EntityRefs.sharded(system);
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), scheduler, refs)));
  }

  @Override
  public VmState emptyState() {
    return VmState.empty(vmId);
  }

  @Override
  public Recovery recovery() {
    // a VM never takes snapshots, so recovery need not ask the snapshot store for one
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public Set<String> tagsFor(VmEvent event) {
    return Tags.ALL;
  }

  @Override
  public CommandHandlerWithReply<Command, VmEvent, VmState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Start.class, this::onStart)
        .onCommand(PlacementAnswered.class, this::onPlacementAnswered)
        .onCommand(RetryPlacement.class, this::onRetryPlacement)
        .onCommand(Stop.class, this::onStop)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(AgentReport.class, this::onReport)
        .onCommand(AgentUnreachable.class, this::onAgentUnreachable)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(ClaimForMove.class, this::onClaim)
        .onCommand(MoveProgress.class, this::onMoveProgress)
        .onCommand(AssignForMove.class, this::onAssign)
        .onCommand(EndMove.class, this::onEndMove)
        .onCommand(HostLost.class, this::onHostLost)
        .onCommand(Delivered.class, (s, c) -> Effect().noReply())
        .build();
  }

  private static String notFound(String vmId) {
    return Rejection.notFound("vm " + vmId + " not found");
  }

  private ReplyEffect<VmEvent, VmState> onCreate(VmState s, Create c) {
    if (s.exists()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("vm " + vmId + " already exists")));
    }
    var problems = c.spec() == null ? java.util.List.of("spec is missing") : c.spec().problems();
    if (!problems.isEmpty()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid(problems.get(0))));
    return Effect().persist(new VmEvent.VmCreated(vmId, c.spec(), c.appId(), c.distinctFromApps(),
            EventMeta.now(c.who()), PlacementRules.orNone(c.rules())))
        .thenRun(this::notifyApp)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private static String moving(VmState s) {
    return Rejection.conflict("vm " + s.vmId() + " is moving from " + s.moving().fromHost() + " to "
        + s.moving().toHost() + "; wait until the move ends");
  }

  private ReplyEffect<VmEvent, VmState> onStart(VmState s, Start c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(notFound(vmId)));
    if (s.inMove()) return Effect().reply(c.replyTo(), StatusReply.error(moving(s)));
    if (!s.phase().canGoTo(VmPhase.PLACED)) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "vm " + vmId + " cannot start: it is " + s.phase().label())));
    }
    if (placing) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "vm " + vmId + " is being placed already")));
    }
    askScheduler(s, c.who(), c.replyTo());
    return Effect().noReply();
  }

  private ReplyEffect<VmEvent, VmState> onRetryPlacement(VmState s, RetryPlacement c) {
    if (s.phase() != VmPhase.PENDING || placing) return Effect().noReply();
    askScheduler(s, Who.SCHEDULER, context.getSystem().ignoreRef());
    return Effect().noReply();
  }

  private void askScheduler(VmState s, String who, ActorRef<StatusReply<VmState>> replyTo) {
    placing = true;
    context.ask(Scheduler.PlaceResult.class, scheduler, ASK,
        r -> new Scheduler.Place(vmId, s.spec(), s.appId(), s.distinctFromApps(), s.rules(), who, r),
        (res, err) -> new PlacementAnswered(res, err, who, replyTo));
  }

  private ReplyEffect<VmEvent, VmState> onPlacementAnswered(VmState s, PlacementAnswered c) {
    placing = false;
    if (c.failure() != null) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.unavailable(
          "scheduler did not answer: " + c.failure().getMessage())));
    }
    PlacementDecision d = c.result().decision();
    if (!c.result().reserved()) {
      String refused = "vm " + vmId + " cannot be placed: " + d.summary();
      if (!s.phase().canGoTo(VmPhase.PENDING)) {
        return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(refused)));
      }
      if (s.phase() == VmPhase.PENDING && d.summary().equals(s.reason())) {
        // still pending for the same reason: nothing new to record
        return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(refused)));
      }
      return Effect().persist(new VmEvent.VmPlacementRefused(vmId, d, EventMeta.now(c.who())))
          .thenRun(this::notifyApp)
          .thenReply(c.replyTo(), st -> StatusReply.error(Rejection.conflict(refused)));
    }
    if (!s.phase().canGoTo(VmPhase.PLACED)) {
      // the VM changed while the scheduler decided: give the reservation back
      release(d.chosenHost(), "vm " + vmId + " changed while being placed");
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "vm " + vmId + " is " + s.phase().label())));
    }
    return Effect().persist(new VmEvent.VmPlaced(vmId, d.chosenHost(), d, EventMeta.now(c.who())))
        .thenRun(st -> {
          notifyApp(st);
          provision(st);
        })
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<VmEvent, VmState> onStop(VmState s, Stop c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(notFound(vmId)));
    if (s.inMove()) return Effect().reply(c.replyTo(), StatusReply.error(moving(s)));
    if (s.phase() == VmPhase.STOPPING) return Effect().reply(c.replyTo(), StatusReply.success(s));
    if (s.phase() == VmPhase.PENDING) {
      // a VM waiting for a host stops waiting
      return Effect().persist(new VmEvent.VmStopped(vmId, "stopped while pending", EventMeta.now(c.who())))
          .thenRun(this::notifyApp)
          .thenReply(c.replyTo(), StatusReply::success);
    }
    if (!s.phase().holdsHost()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "vm " + vmId + " is not running: it is " + s.phase().label())));
    }
    return Effect().persist(new VmEvent.VmStopping(vmId, EventMeta.now(c.who())))
        .thenRun(st -> {
          notifyApp(st);
          stopOnHost(st);
        })
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<VmEvent, VmState> onDelete(VmState s, Delete c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(notFound(vmId)));
    if (s.inMove()) return Effect().reply(c.replyTo(), StatusReply.error(moving(s)));
    if (!s.phase().canGoTo(VmPhase.DELETED)) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "vm " + vmId + " cannot be deleted: it is " + s.phase().label())));
    }
    return Effect().persist(new VmEvent.VmDeleted(vmId, EventMeta.now(c.who())))
        .thenRun(this::notifyApp)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<VmEvent, VmState> onReport(VmState s, AgentReport r) {
    // a report from a host the VM is no longer assigned to is stale; during a move the move decides
    if (!s.exists() || s.hostId() == null || !s.hostId().equals(r.hostId()) || s.inMove()) {
      return Effect().noReply();
    }
    EventMeta meta = EventMeta.now(Who.AGENT);
    VmPhase p = s.phase();
    boolean starting = p == VmPhase.PLACED || p == VmPhase.COPYING;
    switch (r.phase()) {
      case COPYING:
        if (starting && (p == VmPhase.PLACED || r.percent() > s.copyPercent())) {
          return Effect().persist(new VmEvent.VmCopyProgressed(vmId, r.hostId(), r.percent(), meta)).thenNoReply();
        }
        break;
      case BOOTING:
        if (starting) return Effect().persist(new VmEvent.VmBooting(vmId, r.hostId(), meta)).thenNoReply();
        break;
      case RUNNING:
        if (starting) {
          return Effect().persist(java.util.List.of(new VmEvent.VmBooting(vmId, r.hostId(), meta),
              new VmEvent.VmRunning(vmId, r.hostId(), meta))).thenRun(this::notifyApp).thenNoReply();
        }
        if (p == VmPhase.BOOTING) {
          return Effect().persist(new VmEvent.VmRunning(vmId, r.hostId(), meta)).thenRun(this::notifyApp)
              .thenNoReply();
        }
        break;
      case STOPPED:
        if (p.holdsHost()) {
          return Effect().persist(new VmEvent.VmStopped(vmId,
                  p == VmPhase.STOPPING ? "stopped on request" : "stopped on host " + r.hostId(), meta))
              .thenRun(st -> {
                release(r.hostId(), "vm stopped");
                notifyApp(st);
              }).thenNoReply();
        }
        break;
      case FAILED:
        if (p.holdsHost()) return fail(r.hostId(), r.reason());
        break;
      default:
        break;
    }
    return Effect().noReply();
  }

  private ReplyEffect<VmEvent, VmState> onAgentUnreachable(VmState s, AgentUnreachable c) {
    if (!c.hostId().equals(s.hostId()) || !s.phase().holdsHost() || s.inMove()) return Effect().noReply();
    if (s.phase() == VmPhase.STOPPING) {
      return Effect().persist(new VmEvent.VmStopped(vmId, c.reason(), EventMeta.now(Who.AGENT)))
          .thenRun(st -> {
            release(c.hostId(), "vm stopped");
            notifyApp(st);
          }).thenNoReply();
    }
    return fail(c.hostId(), c.reason());
  }

  private ReplyEffect<VmEvent, VmState> fail(String hostId, String reason) {
    return Effect().persist(new VmEvent.VmFailed(vmId, hostId, reason, EventMeta.now(Who.AGENT)))
        .thenRun(st -> {
          release(hostId, "vm failed");
          notifyApp(st);
        }).thenNoReply();
  }

  private ReplyEffect<VmEvent, VmState> onClaim(VmState s, ClaimForMove c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(notFound(vmId)));
    if (s.inMove()) {
      if (s.moving().moveId() == c.moveId()) return Effect().reply(c.replyTo(), StatusReply.success(s));
      return Effect().reply(c.replyTo(), StatusReply.error(moving(s)));
    }
    if (s.phase() != VmPhase.RUNNING || !c.fromHost().equals(s.hostId())) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("vm " + vmId + " is "
          + s.phase().label() + (s.hostId() == null ? "" : " on " + s.hostId()) + ", not running on " + c.fromHost())));
    }
    return Effect().persist(new VmEvent.VmMoveStarted(vmId, c.moveId(), c.fromHost(), c.toHost(), c.live(),
            EventMeta.now(c.who())))
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<VmEvent, VmState> onMoveProgress(VmState s, MoveProgress c) {
    if (!s.inMove() || s.moving().moveId() != c.moveId()) return Effect().noReply();
    if (s.phase() == c.phase() && s.copyPercent() == c.percent() && java.util.Objects.equals(s.reason(), c.reason())) {
      return Effect().noReply();
    }
    boolean phaseChanged = s.phase() != c.phase();
    return Effect().persist(new VmEvent.VmMoveProgressed(vmId, c.moveId(), c.phase(), c.percent(), c.reason(),
            EventMeta.now(Who.MOVE)))
        .thenRun(st -> {
          if (phaseChanged) notifyApp(st);
        })
        .thenNoReply();
  }

  private ReplyEffect<VmEvent, VmState> onAssign(VmState s, AssignForMove c) {
    if (!s.inMove() || s.moving().moveId() != c.moveId()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("vm " + vmId + " is not in move "
          + c.moveId())));
    }
    if (c.toHost().equals(s.hostId())) return Effect().reply(c.replyTo(), StatusReply.success(s));
    return Effect().persist(new VmEvent.VmMoved(vmId, c.moveId(), s.hostId(), c.toHost(), EventMeta.now(c.who())))
        .thenRun(this::notifyApp)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<VmEvent, VmState> onEndMove(VmState s, EndMove c) {
    if (!s.inMove() || s.moving().moveId() != c.moveId()) return Effect().reply(c.replyTo(), StatusReply.success(s));
    return Effect().persist(new VmEvent.VmMoveEnded(vmId, c.moveId(), c.hostId(), c.phase(), c.completed(), c.reason(),
            EventMeta.now(c.who())))
        .thenRun(this::notifyApp)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<VmEvent, VmState> onHostLost(VmState s, HostLost c) {
    if (!s.exists() || !c.hostId().equals(s.hostId()) || !s.phase().holdsHost()) {
      return Effect().reply(c.replyTo(), StatusReply.success(s));
    }
    if (s.inMove() && !s.moving().live()
        && !(s.phase() == VmPhase.RUNNING && s.moving().toHost().equals(s.hostId()))) {
      // in a cold move that has not started it on the target yet: the move holds it (reservations on
      // both hosts, its data on one or both) and resumes once the lost host's node is back, or falls
      // back; failing it over as well could run it twice
      return Effect().reply(c.replyTo(), StatusReply.success(s));
    }
    // a VM that never ran there had no data of its own there yet: it may start afresh anywhere
    boolean hadData = s.phase() == VmPhase.BOOTING || s.phase() == VmPhase.RUNNING || s.phase() == VmPhase.STOPPING
        || s.inMove();
    boolean unavailable = hadData && s.spec().data() == io.actorvmm.domain.DataPolicy.LOCAL;
    boolean restart = !unavailable && s.phase() != VmPhase.STOPPING;
    return Effect().persist(new VmEvent.VmLost(vmId, c.hostId(), c.reason(), unavailable, EventMeta.now(Who.MONITOR)))
        .thenRun(st -> {
          release(c.hostId(), unavailable ? "vm lost, its data unavailable" : "vm lost with its host");
          notifyApp(st);
          if (restart) {
            askScheduler(st, Who.MONITOR, c.replyTo());
          } else {
            c.replyTo().tell(StatusReply.success(st));
          }
        })
        .thenNoReply();
  }

  @Override
  public SignalHandler<VmState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          // resume an unfinished step: the agent's operations are idempotent; a move resumes by itself
          if (s.inMove()) return;
          if (s.phase() == VmPhase.PLACED || s.phase() == VmPhase.COPYING || s.phase() == VmPhase.BOOTING) {
            provision(s);
          } else if (s.phase() == VmPhase.STOPPING) {
            stopOnHost(s);
          }
        })
        .build();
  }

  private void provision(VmState s) {
    toAgent(s.hostId(), new HostAgent.Provision(vmId, s.spec()));
  }

  private void stopOnHost(VmState s) {
    toAgent(s.hostId(), new HostAgent.StopVm(vmId));
  }

  private void toAgent(String hostId, HostAgent.Command command) {
    context.askWithStatus(HostState.class, refs.host(hostId), ASK,
        r -> new HostEntity.ToAgent(command, r),
        (ok, err) -> err == null ? Delivered.INSTANCE : new AgentUnreachable(hostId, err.getMessage() == null
            ? "control program of host " + hostId + " did not answer"
            : Rejection.decode(err.getMessage()).message()));
  }

  private void release(String hostId, String why) {
    if (hostId != null) {
      refs.host(hostId).tell(new HostEntity.Release(vmId, why, Who.AGENT, context.getSystem().ignoreRef()));
    }
  }

  private void notifyApp(VmState s) {
    if (s.appId() != null) refs.app(s.appId()).tell(new AppEntity.VmChanged(vmId, s.phase(), s.hostId()));
  }

  @Override
  public EventHandler<VmState, VmEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(VmState::apply);
  }
}
