package io.actorvmm.runtime.vm;

import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.Rejection;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.restart.NotRunning;
import io.actorvmm.domain.restart.RestartDecision;
import io.actorvmm.domain.restart.RestartPolicy;
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
import java.time.Instant;
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
  // a VM still being placed, copied or booted whose host shows nothing of it this long after its last
  // event lost its host's work (the control program restarted): it is provisioned again
  private static final Duration STALE = Duration.ofSeconds(30);

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

  /**
   * Place and boot the VM; answers once it is placed (or refused, with the reason). A VM whose data is
   * unavailable starts again from its image only with {@code fromImage}.
   */
  public record Start(String who, boolean fromImage, ActorRef<StatusReply<VmState>> replyTo) implements Command {
    /** A start that keeps the VM's data. */
    public Start(String who, ActorRef<StatusReply<VmState>> replyTo) {
      this(who, false, replyTo);
    }
  }

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

  /** What the VM's host really does with it, as its control program sees it. */
  public enum Seen {
    /** It runs. */
    RUNNING,
    /** It is being copied or booted. */
    STARTING,
    /** It crashed (a process that died). */
    CRASHED,
    /** It is stopped and the virtual layer saw no crash. */
    STOPPED,
    /** The virtual layer does not run it (it may hold its data). */
    ABSENT
  }

  /**
   * The control program of {@code hostId} compared the VM with what its virtual layer really does: seen
   * {@code seen}, its data there or not; {@code afterNodeStart} on the first comparison after the host's
   * node (re)started. A VM recorded running there that is not is corrected by its restart policy; one
   * whose reports were lost catches up (no answer).
   */
  public record Observed(String hostId, Seen seen, boolean hasData, boolean afterNodeStart) implements Command {}

  /**
   * Host {@code hostId} holds the data of this VM again (its node is back): a VM that waits as "data
   * unavailable" for that host is placed there again and started from it (no answer).
   */
  public record DataFound(String hostId) implements Command {}

  /** Why a placement was asked for, which decides what its answer records. */
  private enum Purpose { START, RELOCATE, DATA_FOUND }

  private record PlacementAnswered(Scheduler.PlaceResult result, Throwable failure, String who,
                                   ActorRef<StatusReply<VmState>> replyTo, Purpose purpose, String hostId)
      implements Command {}

  /** The back-off before restart number {@code restart} (counted in the VM's kept restarts) is over. */
  private record RestartDue(int restart) implements Command {}

  private record AgentUnreachable(String hostId, String reason) implements Command {}

  private enum Delivered implements Command { INSTANCE }

  private final String vmId;
  private final ActorContext<Command> context;
  private final ActorRef<Scheduler.Command> scheduler;
  private final EntityRefs refs;
  // a start waits for the scheduler without persisting; a second start meanwhile is refused
  private boolean placing;
  // when the last event was recorded (or recovered), so a comparison can tell work in progress from lost work
  private Instant lastChange = Instant.EPOCH;

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
        .onCommand(Observed.class, this::onObserved)
        .onCommand(DataFound.class, this::onDataFound)
        .onCommand(RestartDue.class, this::onRestartDue)
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
    if (s.dataLoss() != null && !c.fromImage()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("vm " + vmId
          + " cannot start: its data is unavailable (" + (s.dataLoss().hostId() == null ? "it is missing"
          : "it is on host " + s.dataLoss().hostId() + ", which is lost") + "); start it from its image to begin "
          + "again without that data")));
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
    askScheduler(s, who, replyTo, Purpose.START, null);
  }

  /**
   * Asks the scheduler for a host: any host for a start, any other host than {@code hostId} for a
   * relocation, only {@code hostId} for a VM whose data was found there.
   */
  private void askScheduler(VmState s, String who, ActorRef<StatusReply<VmState>> replyTo, Purpose purpose,
                            String hostId) {
    placing = true;
    Set<String> exclude = purpose == Purpose.RELOCATE ? Set.of(hostId) : Set.of();
    String only = purpose == Purpose.DATA_FOUND ? hostId : null;
    context.ask(Scheduler.PlaceResult.class, scheduler, ASK,
        r -> new Scheduler.Place(vmId, s.spec(), s.appId(), s.distinctFromApps(), s.rules(), who, r, exclude, only),
        (res, err) -> new PlacementAnswered(res, err, who, replyTo, purpose, hostId));
  }

  private ReplyEffect<VmEvent, VmState> onPlacementAnswered(VmState s, PlacementAnswered c) {
    placing = false;
    if (c.failure() != null) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.unavailable(
          "scheduler did not answer: " + c.failure().getMessage())));
    }
    PlacementDecision d = c.result().decision();
    if (c.purpose() == Purpose.DATA_FOUND) return onDataFoundPlaced(s, c, d);
    if (!c.result().reserved() && c.purpose() == Purpose.RELOCATE && s.phase() == VmPhase.FAILED) {
      // a relocation that finds no other host ends the policy: the VM is failed, with both reasons
      return Effect().persist(new VmEvent.VmFailed(vmId, c.hostId(), s.reason() + "; no other host can take it: "
              + d.summary(), EventMeta.now(c.who())))
          .thenRun(this::notifyApp)
          .thenReply(c.replyTo(), st -> StatusReply.error(Rejection.conflict(st.reason())));
    }
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
    // a move that ends with the VM on no host (its source never came back to restart it): a VM whose data
    // can be had elsewhere is placed again; one whose data lived on the source waits for it (DataFound)
    boolean lostOnNoHost = c.phase() == VmPhase.FAILED && c.hostId() == null;
    boolean placeAgain = lostOnNoHost && s.spec().data() != DataPolicy.LOCAL;
    return Effect().persist(new VmEvent.VmMoveEnded(vmId, c.moveId(), c.hostId(), c.phase(), c.completed(), c.reason(),
            EventMeta.now(c.who())))
        .thenRun(st -> {
          notifyApp(st);
          if (placeAgain) askScheduler(st, Who.MOVE, context.getSystem().ignoreRef());
        })
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

  // ---- reconciliation: what the host really runs --------------------------------------------------------

  private ReplyEffect<VmEvent, VmState> onObserved(VmState s, Observed o) {
    if (!s.exists() || s.inMove() || !o.hostId().equals(s.hostId())) return Effect().noReply();
    boolean stale = lastChange.plus(STALE).isBefore(Instant.now());
    EventMeta meta = EventMeta.now(Who.RECONCILE);
    switch (s.phase()) {
      case RUNNING, BOOTING -> {
        if (o.seen() == Seen.RUNNING) {
          // the report that it runs was lost (its control program restarted meanwhile)
          return s.phase() == VmPhase.BOOTING
              ? Effect().persist(new VmEvent.VmRunning(vmId, o.hostId(), meta)).thenRun(this::notifyApp).thenNoReply()
              : Effect().noReply();
        }
        if (o.seen() == Seen.STARTING || (s.phase() == VmPhase.BOOTING && !stale && !o.afterNodeStart())) {
          return Effect().noReply();
        }
        return notRunning(s, o);
      }
      case PLACED, COPYING -> {
        if (o.seen() == Seen.RUNNING) {
          return Effect().persist(java.util.List.of(new VmEvent.VmBooting(vmId, o.hostId(), meta),
              new VmEvent.VmRunning(vmId, o.hostId(), meta))).thenRun(this::notifyApp).thenNoReply();
        }
        Instant next = s.restarts().nextTry();
        boolean waiting = next != null && next.isAfter(Instant.now());
        if (o.seen() != Seen.STARTING && !waiting && (stale || o.afterNodeStart())) provision(s);
        return Effect().noReply();
      }
      case STOPPING -> {
        if (o.seen() == Seen.RUNNING || o.seen() == Seen.STARTING) {
          if (stale || o.afterNodeStart()) stopOnHost(s);
          return Effect().noReply();
        }
        // the report of the stop was lost: it is stopped
        return Effect().persist(new VmEvent.VmStopped(vmId, "stopped on request", meta))
            .thenRun(st -> {
              release(o.hostId(), "vm stopped");
              notifyApp(st);
            }).thenNoReply();
      }
      default -> {
        return Effect().noReply();
      }
    }
  }

  /** A VM recorded running on its host that does not run there: its data decides, then its restart policy. */
  private ReplyEffect<VmEvent, VmState> notRunning(VmState s, Observed o) {
    String host = o.hostId();
    NotRunning cause = o.afterNodeStart() ? NotRunning.NODE_RESTARTED : switch (o.seen()) {
      case CRASHED -> NotRunning.CRASHED;
      case STOPPED -> NotRunning.STOPPED_BY_ITSELF;
      default -> NotRunning.MISSING;
    };
    String what = "vm " + vmId + " " + cause.text() + " on " + host + (o.afterNodeStart() ? " after its node restarted" : "");
    Instant now = Instant.now();
    EventMeta meta = new EventMeta(Who.RECONCILE, now);
    DataPolicy data = s.spec().data();
    if (!o.hasData() && data != DataPolicy.DISPOSABLE) {
      boolean lost = data == DataPolicy.LOCAL;
      String why = what + "; data missing on host " + host + (lost ? "" : ": placed again from its replica");
      return Effect().persist(new VmEvent.VmFailed(vmId, host, why, meta, lost))
          .thenRun(st -> {
            release(host, "vm failed: its data is missing here");
            notifyApp(st);
            if (!lost) askScheduler(st, Who.RECONCILE, context.getSystem().ignoreRef());
          }).thenNoReply();
    }
    RestartPolicy policy = s.spec().restartPolicy(s.serviceVm());
    RestartDecision d = policy.decide(cause, what, s.restarts().times(), s.restarts().relocatedAt(),
        data != DataPolicy.LOCAL, "its data lives only on host " + host, now);
    return switch (d.action()) {
      case RESTART -> Effect().persist(new VmEvent.VmRestarting(vmId, host, d.attempt(), d.of(), now.plus(d.delay()),
              d.why(), meta))
          .thenRun(st -> {
            notifyApp(st);
            scheduleRestart(st, d.delay());
          }).thenNoReply();
      case RELOCATE -> Effect().persist(new VmEvent.VmRelocating(vmId, host, d.why(), meta))
          .thenRun(st -> {
            release(host, "vm relocating");
            notifyApp(st);
            askScheduler(st, Who.RECONCILE, context.getSystem().ignoreRef(), Purpose.RELOCATE, host);
          }).thenNoReply();
      case STOP -> Effect().persist(new VmEvent.VmStopped(vmId, d.why(), meta))
          .thenRun(st -> {
            release(host, "vm stopped");
            notifyApp(st);
          }).thenNoReply();
      case FAIL -> Effect().persist(new VmEvent.VmFailed(vmId, host, d.why(), meta))
          .thenRun(st -> {
            release(host, "vm failed");
            notifyApp(st);
          }).thenNoReply();
    };
  }

  private void scheduleRestart(VmState s, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      provision(s);
    } else {
      context.scheduleOnce(delay, context.getSelf(), new RestartDue(s.restarts().times().size()));
    }
  }

  private ReplyEffect<VmEvent, VmState> onRestartDue(VmState s, RestartDue c) {
    // only the restart this timer was set for, if nothing happened to the VM since
    if (s.phase() == VmPhase.PLACED && !s.inMove() && s.restarts().nextTry() != null
        && s.restarts().times().size() == c.restart()) {
      provision(s);
    }
    return Effect().noReply();
  }

  private ReplyEffect<VmEvent, VmState> onDataFound(VmState s, DataFound c) {
    if (s.phase() != VmPhase.FAILED || s.dataLoss() == null || !c.hostId().equals(s.dataLoss().hostId())) {
      return Effect().noReply();
    }
    if (placing) {
      context.getLog().info("vm {}: its data is on {} again; a placement is under way, the host tells again", vmId,
          c.hostId());
      return Effect().noReply();
    }
    askScheduler(s, Who.RECONCILE, context.getSystem().ignoreRef(), Purpose.DATA_FOUND, c.hostId());
    return Effect().noReply();
  }

  private ReplyEffect<VmEvent, VmState> onDataFoundPlaced(VmState s, PlacementAnswered c, PlacementDecision d) {
    if (!c.result().reserved()) {
      context.getLog().info("vm {}: its data is on {} again, but {} cannot take it: {}", vmId, c.hostId(), c.hostId(),
          d.summary());
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(d.summary())));
    }
    if (s.phase() != VmPhase.FAILED || s.dataLoss() == null) {
      release(d.chosenHost(), "vm " + vmId + " changed while being placed");
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("vm " + vmId + " is " + s.phase().label())));
    }
    String why = "its data is on host " + c.hostId() + " again: started there from it";
    return Effect().persist(new VmEvent.VmDataFound(vmId, d.chosenHost(), d, why, EventMeta.now(c.who())))
        .thenRun(st -> {
          notifyApp(st);
          provision(st);
        })
        .thenReply(c.replyTo(), StatusReply::success);
  }

  @Override
  public SignalHandler<VmState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          // resume an unfinished step: the agent's operations are idempotent; a move resumes by itself
          if (s.inMove()) return;
          Instant next = s.restarts().nextTry();
          if (s.phase() == VmPhase.PLACED && next != null && next.isAfter(Instant.now())) {
            // a restart still in its back-off boots when the back-off ends
            scheduleRestart(s, Duration.between(Instant.now(), next));
          } else if (s.phase() == VmPhase.PLACED || s.phase() == VmPhase.COPYING || s.phase() == VmPhase.BOOTING) {
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
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> {
      if (e.meta() != null && e.meta().at() != null) lastChange = e.meta().at();
      return s.apply(e);
    });
  }
}
