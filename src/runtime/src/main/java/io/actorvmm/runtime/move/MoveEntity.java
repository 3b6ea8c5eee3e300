package io.actorvmm.runtime.move;

import io.actorvmm.adapters.DataBundle;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Rejection;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.Tags;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.agent.HostAgent;
import io.actorvmm.runtime.agent.HostAgent.MoveOpKind;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.scheduler.Scheduler;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The move of one VM (entity id = VM id) from its host to another, as a persisted process.
 *
 * <p>Cold (stop-copy-start): the target reserves capacity (the scheduler chose it under the same
 * filters as any placement, the source excluded) → the VM entity accepts the move → the source's
 * control program stops the VM → establishes its data as a bundle → the target imports it (progress in
 * percent) → the VM entity is assigned to the target → the target boots it → only then the source
 * deletes the VM's data and gives back its reservation. Live: the target prepares → the source's
 * hypervisor migrates the running VM (its downtime is recorded) → assign → the target settles it →
 * the source gives back its reservation.
 *
 * <p>Every step is an event. After a crash of any node the entity (remembered by sharding, so it is
 * restarted without being asked) recovers and sends the first step not yet done again; the control
 * programs' operations are idempotent, and a report for a step already done is ignored, so no step is
 * done twice. Until the VM runs on the target, a failed step falls back: the target's copy is removed
 * and its reservation given back, the VM boots on its source from its intact data, and the reason is
 * recorded.
 */
public final class MoveEntity
    extends EventSourcedBehaviorWithEnforcedReplies<MoveEntity.Command, MoveEvent, MoveState> {

  /** The sharding key of moves. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Move");

  /**
   * A hook for crash tests: when the system property {@code avm.move.hold} (or the environment variable
   * {@code AVM_MOVE_HOLD}) names a step label ("started", "data-exported", ...; "@FILE": the label in that
   * file), a move that has just persisted that step goes no further in this incarnation; once recovered
   * elsewhere (after the node was stopped or killed) it continues. A move held through a file also
   * continues, where it is, once the file names another label (tests crash other nodes meanwhile).
   */
  public static final String HOLD_PROPERTY = "avm.move.hold";

  // the node where each VM's move was last held by the hook (crash tests read it to stop that node)
  private static final java.util.Map<String, String> HELD_ON = new java.util.concurrent.ConcurrentHashMap<>();

  private static final Duration ASK = Duration.ofSeconds(10);
  private static final Duration QUICK_STEP = Duration.ofSeconds(15);
  private static final Duration COPY_STEP = Duration.ofSeconds(30);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(1500);
  private static final int ATTEMPTS_BEFORE_FALLBACK = 8;
  private static final int PLACE_ATTEMPTS = 8;

  /**
   * Where the hold hook last stopped the move of {@code vmId} in this JVM: "the node's address, the step
   * label", or null.
   */
  public static String heldOn(String vmId) {
    return HELD_ON.get(vmId);
  }

  /** Forgets where moves were held. */
  public static void clearHeld() {
    HELD_ON.clear();
  }

  /** Every command a move accepts. */
  public interface Command extends CborSerializable {}

  /**
   * Move the VM to {@code toHost} (null: where the scheduler places it, its source excluded), live or
   * cold; {@code fromHost} (null: any) refuses the move unless the VM still runs there. Answers once the
   * target reserved capacity and the move began; refusals persist nothing.
   */
  public record Request(String toHost, boolean live, String reason, String who,
                        ActorRef<StatusReply<MoveState>> replyTo, String fromHost) implements Command {

    /** A move from wherever the VM runs. */
    public Request(String toHost, boolean live, String reason, String who, ActorRef<StatusReply<MoveState>> replyTo) {
      this(toHost, live, reason, who, replyTo, null);
    }
  }

  /** Read the state of the VM's latest move. */
  public record Get(ActorRef<MoveState> replyTo) implements Command {}

  /** How a control program's step went. */
  public enum StepStatus { PROGRESS, DONE, FAILED }

  /** A control program reports on a step it was asked to do. */
  public record StepReport(String vmId, long moveId, MoveOpKind op, String hostId, StepStatus status, int percent,
                           String reason, DataBundle bundle, MigrationEndpoint endpoint, long downtimeMillis)
      implements Command {}

  private record VmRead(VmState vm, Throwable failure, Request request) implements Command {}

  private record TargetRead(VmState vm, HostState target, Throwable failure, Request request) implements Command {}

  private record Placed(VmState vm, Scheduler.PlaceResult result, Throwable failure, Request request, int attempt)
      implements Command {}

  private record PlaceAgain(VmState vm, Request request, int attempt) implements Command {}

  private record Acked(long moveId, Action action, Throwable failure) implements Command {}

  private record Retry(long moveId, Action action, int attempt) implements Command {}

  private enum Delivered implements Command { INSTANCE }

  private record HoldCheck(long moveId) implements Command {}

  private static final Duration HOLD_CHECK = Duration.ofMillis(200);

  /** What the move does next. */
  enum Action {
    CLAIM(MoveStep.VM_CLAIMED, null, false),
    STOP(MoveStep.SOURCE_STOPPED, MoveOpKind.STOP, true),
    EXPORT(MoveStep.DATA_EXPORTED, MoveOpKind.EXPORT, true),
    IMPORT(MoveStep.DATA_IMPORTED, MoveOpKind.IMPORT, false),
    PREPARE(MoveStep.TARGET_PREPARED, MoveOpKind.PREPARE, false),
    MIGRATE(MoveStep.MIGRATED, MoveOpKind.MIGRATE, true),
    ASSIGN(MoveStep.VM_ASSIGNED, null, false),
    START_TARGET(MoveStep.TARGET_STARTED, MoveOpKind.START, false),
    FINISH(MoveStep.TARGET_FINISHED, MoveOpKind.FINISH, false),
    CLEAN_SOURCE(MoveStep.SOURCE_CLEANED, MoveOpKind.CLEANUP, true),
    DISCARD_TARGET(MoveStep.TARGET_DISCARDED, MoveOpKind.DISCARD, false),
    RESTART_SOURCE(MoveStep.SOURCE_RESTARTED, MoveOpKind.START, true),
    END(null, null, false),
    NONE(null, null, false);

    final MoveStep step;
    final MoveOpKind op;
    final boolean onSource;

    Action(MoveStep step, MoveOpKind op, boolean onSource) {
      this.step = step;
      this.op = op;
      this.onSource = onSource;
    }
  }

  private final String vmId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ActorRef<Scheduler.Command> scheduler;
  private final ClusterSharding sharding;
  private final ActorRef<org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.ShardCommand> shard;
  // in memory only: a request being checked, the attempts of the current action, the last percent told
  private boolean requesting;
  private Action current = Action.NONE;
  // the move and step where the hold hook last stopped this incarnation (logged once)
  private String heldAt;
  private int attempts;
  private int lastPercentTold = -1;
  // the source stayed unreachable for a fallback's restart: the move ends with the VM failed instead
  private boolean restartAbandoned;

  private MoveEntity(String vmId, ActorContext<Command> context, TimerScheduler<Command> timers,
                     ActorRef<Scheduler.Command> scheduler,
                     ActorRef<ClusterSharding.ShardCommand> shard) {
    super(PersistenceId.of(ENTITY_KEY.name(), vmId));
    this.vmId = vmId;
    this.context = context;
    this.timers = timers;
    this.scheduler = scheduler;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.shard = shard;
  }

  /** The behavior of the move of VM {@code vmId}; {@code shard} (may be null) is told when the move ends. */
  public static Behavior<Command> create(String vmId, ActorRef<Scheduler.Command> scheduler,
                                         ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new MoveEntity(vmId, ctx, t, scheduler, shard)));
  }

  /**
   * Starts sharding of moves on this node. Moves are remembered entities, so a move whose node crashed
   * is restarted on another node at once and resumes without waiting to be asked.
   */
  public static void init(ActorSystem<?> system, ActorRef<Scheduler.Command> scheduler) {
    ClusterSharding.get(system).init(
        Entity.of(ENTITY_KEY, (EntityContext<Command> ctx) -> create(ctx.getEntityId(), scheduler, ctx.getShard()))
            .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true))
            // moves are the control plane's work: they run on seed nodes, like the scheduler
            .withRole("seed"));
  }

  @Override
  public MoveState emptyState() {
    return MoveState.empty(vmId);
  }

  @Override
  public Set<String> tagsFor(MoveEvent event) {
    return Tags.ALL;
  }

  @Override
  public CommandHandlerWithReply<Command, MoveEvent, MoveState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Request.class, this::onRequest)
        .onCommand(VmRead.class, this::onVmRead)
        .onCommand(TargetRead.class, this::onTargetRead)
        .onCommand(Placed.class, this::onPlaced)
        .onCommand(PlaceAgain.class, (s, c) -> {
          askScheduler(c.vm(), c.request(), c.attempt());
          return Effect().noReply();
        })
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(StepReport.class, this::onStepReport)
        .onCommand(Acked.class, this::onAcked)
        .onCommand(Retry.class, this::onRetry)
        .onCommand(Delivered.class, (s, c) -> Effect().noReply())
        .onCommand(HoldCheck.class, (s, c) -> {
          if (c.moveId() == s.moveId() && s.active() && current == Action.NONE) proceedUnlessHeld(s);
          return Effect().noReply();
        })
        .build();
  }

  // ---- the request: checks before anything is persisted ------------------------------------------------

  private ReplyEffect<MoveEvent, MoveState> onRequest(MoveState s, Request c) {
    if (s.active()) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("vm " + vmId + " is already moving from "
          + s.fromHost() + " to " + s.toHost())));
    }
    if (requesting) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("a move of vm " + vmId
          + " is being requested already")));
    }
    requesting = true;
    context.ask(VmState.class, sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId), ASK, VmEntity.Get::new,
        (vm, err) -> new VmRead(vm, err, c));
    return Effect().noReply();
  }

  private ReplyEffect<MoveEvent, MoveState> refuse(Request c, String tagged) {
    requesting = false;
    return Effect().reply(c.replyTo(), StatusReply.error(tagged));
  }

  private ReplyEffect<MoveEvent, MoveState> onVmRead(MoveState s, VmRead r) {
    Request c = r.request();
    if (r.failure() != null) return refuse(c, Rejection.unavailable("vm " + vmId + " did not answer; try again"));
    VmState vm = r.vm();
    if (!vm.exists() || vm.phase() == VmPhase.DELETED) return refuse(c, Rejection.notFound("vm " + vmId + " not found"));
    if (vm.inMove()) {
      return refuse(c, Rejection.conflict("vm " + vmId + " is already moving to " + vm.moving().toHost()));
    }
    if (!vm.spec().relocatable()) {
      return refuse(c, Rejection.conflict("vm " + vmId + " is pinned to host " + vm.hostId()
          + ": its spec is not relocatable"));
    }
    if (vm.phase() != VmPhase.RUNNING) {
      return refuse(c, Rejection.conflict("vm " + vmId + " is " + vm.phase().label() + "; only a running vm moves"));
    }
    if (c.fromHost() != null && !c.fromHost().equals(vm.hostId())) {
      // a drain's request that crossed the end of an earlier move: the VM has left that host already
      return refuse(c, Rejection.conflict("vm " + vmId + " no longer runs on host " + c.fromHost()));
    }
    if (c.toHost() != null && c.toHost().equals(vm.hostId())) {
      return refuse(c, Rejection.invalid("vm " + vmId + " already runs on host " + c.toHost()));
    }
    if (!c.live()) {
      // a cold move makes the replica unavailable: at most max-unavailable replicas of an app at a time
      ReadSide read = ReadSide.get(context.getSystem());
      int max = read.maxUnavailable(vm.appId());
      List<String> others = read.movingCold(vm.appId(), vmId);
      if (others.size() >= max) {
        return refuse(c, Rejection.conflict("vm " + vmId + " waits: " + others.size() + " other replica"
            + (others.size() == 1 ? "" : "s") + " of " + vm.appId() + " " + (others.size() == 1 ? "is" : "are")
            + " moving (" + String.join(", ", others) + ") and its service allows " + max + " unavailable at a time"));
      }
    }
    if (c.toHost() != null) {
      context.ask(HostState.class, sharding.entityRefFor(HostEntity.ENTITY_KEY, c.toHost()), ASK, HostEntity.Get::new,
          (h, err) -> new TargetRead(vm, h, err, c));
      return Effect().noReply();
    }
    askScheduler(vm, c, 1);
    return Effect().noReply();
  }

  private ReplyEffect<MoveEvent, MoveState> onTargetRead(MoveState s, TargetRead r) {
    Request c = r.request();
    if (r.failure() != null) return refuse(c, Rejection.unavailable("host " + c.toHost() + " did not answer; try again"));
    if (!r.target().registered()) return refuse(c, Rejection.notFound("host " + c.toHost() + " not found"));
    if (r.target().status() != HostStatus.UP) {
      return refuse(c, Rejection.conflict("host " + c.toHost() + " is " + r.target().status().name().toLowerCase()
          + "; it takes no VMs"));
    }
    askScheduler(r.vm(), c, 1);
    return Effect().noReply();
  }

  private void askScheduler(VmState vm, Request c, int attempt) {
    context.ask(Scheduler.PlaceResult.class, scheduler, ASK,
        ref -> new Scheduler.Place(vmId, vm.spec(), vm.appId(), vm.distinctFromApps(), vm.rules(), c.who(), ref,
            Set.of(vm.hostId()), c.toHost()),
        (res, err) -> new Placed(vm, res, err, c, attempt));
  }

  private ReplyEffect<MoveEvent, MoveState> onPlaced(MoveState s, Placed p) {
    Request c = p.request();
    if (p.failure() != null) return refuse(c, Rejection.unavailable("scheduler did not answer; try again"));
    if (!p.result().reserved()) {
      if (p.result().decision().verdicts().isEmpty() && p.attempt() < PLACE_ATTEMPTS) {
        // a scheduler that just took over knows no host yet; the hosts report within a second
        timers.startSingleTimer("place", new PlaceAgain(p.vm(), c, p.attempt() + 1), Duration.ofMillis(500));
        return Effect().noReply();
      }
      return refuse(c, Rejection.conflict(MoveChecks.cannotMove(vmId, c.toHost(), p.result().decision())));
    }
    requesting = false;
    VmState vm = p.vm();
    String target = p.result().decision().chosenHost();
    String reason = c.reason() == null || c.reason().isBlank() ? "requested by " + io.actorvmm.domain.auth.Caller.name(c.who()) : c.reason();
    Double transfer = MoveChecks.transferCost(ReadSide.get(context.getSystem()).inventory(), vm.spec(), vm.hostId(),
        target);
    return Effect().persist(new MoveEvent.MoveStarted(vmId, s.moveId() + 1, vm.hostId(), target, c.live(), vm.spec(),
            vm.appId(), reason, p.result().decision().summary(), EventMeta.now(c.who()), transfer))
        .thenRun(this::proceedUnlessHeld)
        .thenReply(c.replyTo(), StatusReply::success);
  }

  // ---- the process ---------------------------------------------------------------------------------------

  /** The next thing to do in {@code s}. */
  static Action next(MoveState s) {
    if (!s.active()) return Action.NONE;
    if (s.fallingBack()) {
      if (!s.has(MoveStep.TARGET_DISCARDED)) return Action.DISCARD_TARGET;
      if (!s.live() && s.has(MoveStep.VM_CLAIMED) && !s.has(MoveStep.SOURCE_RESTARTED)) return Action.RESTART_SOURCE;
      return Action.END;
    }
    if (!s.has(MoveStep.VM_CLAIMED)) return Action.CLAIM;
    if (s.live()) {
      if (!s.has(MoveStep.TARGET_PREPARED)) return Action.PREPARE;
      if (!s.has(MoveStep.MIGRATED)) return Action.MIGRATE;
      if (!s.has(MoveStep.VM_ASSIGNED)) return Action.ASSIGN;
      if (!s.has(MoveStep.TARGET_FINISHED)) return Action.FINISH;
    } else {
      if (!s.has(MoveStep.SOURCE_STOPPED)) return Action.STOP;
      if (!s.has(MoveStep.DATA_EXPORTED)) return Action.EXPORT;
      if (!s.has(MoveStep.DATA_IMPORTED)) return Action.IMPORT;
      if (!s.has(MoveStep.VM_ASSIGNED)) return Action.ASSIGN;
      if (!s.has(MoveStep.TARGET_STARTED)) return Action.START_TARGET;
    }
    if (!s.has(MoveStep.SOURCE_CLEANED)) return Action.CLEAN_SOURCE;
    return Action.END;
  }

  /** The next thing this incarnation does: {@link #next}, unless a restart on an unreachable source was given up. */
  private Action nextHere(MoveState s) {
    Action a = next(s);
    return a == Action.RESTART_SOURCE && restartAbandoned ? Action.END : a;
  }

  /** True while a failure still sends the VM back to its source: it does not run on the target yet. */
  static boolean canFallBack(MoveState s) {
    return s.active() && !s.fallingBack() && !s.has(s.live() ? MoveStep.MIGRATED : MoveStep.TARGET_STARTED);
  }

  /** The step label the hold hook names now; "@path" reads it from that file (tests change it between moves). */
  private static String holdStep() {
    String hold = System.getProperty(HOLD_PROPERTY, System.getenv("AVM_MOVE_HOLD"));
    if (hold == null || !hold.startsWith("@")) return hold;
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(hold.substring(1))).trim();
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private void proceedUnlessHeld(MoveState s) {
    MoveStep last = s.done().isEmpty() ? null : s.done().get(s.done().size() - 1);
    String hold = holdStep();
    String label = last == null ? "started" : last.label();
    if (hold != null && hold.equals(label) && s.active()) {
      if (!(s.moveId() + " " + label).equals(heldAt)) {
        heldAt = s.moveId() + " " + label;
        context.getLog().info("move {} of vm {} held after {} ({})", s.moveId(), vmId, label, HOLD_PROPERTY);
      }
      HELD_ON.put(vmId, org.apache.pekko.cluster.typed.Cluster.get(context.getSystem()).selfMember().address().toString()
          + " " + label);
      current = Action.NONE;
      String configured = System.getProperty(HOLD_PROPERTY, System.getenv("AVM_MOVE_HOLD"));
      if (configured != null && configured.startsWith("@")) {
        timers.startSingleTimer("hold", new HoldCheck(s.moveId()), HOLD_CHECK);
      }
      return;
    }
    proceed(s);
  }

  private void proceed(MoveState s) {
    Action a = nextHere(s);
    if (a != current) {
      current = a;
      attempts = 0;
      lastPercentTold = -1;
    }
    attempts++;
    dispatch(s, a, attempts);
  }

  private void dispatch(MoveState s, Action a, int attempt) {
    long id = s.moveId();
    switch (a) {
      case NONE -> timers.cancel("step");
      case CLAIM -> askVm(id, a, r -> new VmEntity.ClaimForMove(id, s.fromHost(), s.toHost(), s.live(), Who.MOVE, r));
      case ASSIGN -> askVm(id, a, r -> new VmEntity.AssignForMove(id, s.toHost(), Who.MOVE, r));
      case END -> {
        if (!s.has(MoveStep.VM_CLAIMED)) {
          context.getSelf().tell(new Acked(id, a, null));
        } else {
          String host = s.fallingBack() ? s.fromHost() : s.toHost();
          String why = restartAbandoned ? "move to " + s.toHost() + " failed: " + s.fallback()
              + "; the control program of host " + host + " did not restart it"
              : s.fallingBack() ? "move to " + s.toHost() + " failed: " + s.fallback() + "; runs on " + host
              + " again" : "moved from " + s.fromHost() + (s.live() && s.downtimeMillis() >= 0
              ? " live, " + s.downtimeMillis() + " ms downtime" : "");
          VmPhase phase = restartAbandoned ? VmPhase.FAILED : VmPhase.RUNNING;
          if (restartAbandoned) {
            // the VM holds no host any more: its source gives back the reservation whenever it answers
            sharding.entityRefFor(HostEntity.ENTITY_KEY, s.fromHost()).tell(new HostEntity.Release(vmId,
                "move given up", Who.MOVE, context.getSystem().ignoreRef()));
          }
          String at = restartAbandoned ? null : host;
          askVm(id, a, r -> new VmEntity.EndMove(id, at, phase, !s.fallingBack(), why, Who.MOVE, r));
        }
      }
      default -> {
        if (a == Action.DISCARD_TARGET && !s.has(MoveStep.VM_CLAIMED)) {
          // nothing reached the target: only its reservation is given back
          release(id, a, s.toHost());
          return;
        }
        if (a == Action.DISCARD_TARGET && attempt > ATTEMPTS_BEFORE_FALLBACK) {
          // the target stays unreachable: a downed node stops its VMs itself; give its reservation back
          release(id, a, s.toHost());
          return;
        }
        if (a == Action.STOP) tellVm(s, VmPhase.STOPPING, 0, "stopping on " + s.fromHost() + " to move to " + s.toHost());
        if (a == Action.CLEAN_SOURCE && !s.live()) {
          // it runs on the target now: lost with the target from here on, like any running VM
          tellVm(s, VmPhase.RUNNING, 100, "runs on " + s.toHost() + "; its data on " + s.fromHost() + " is deleted");
        }
        if (a == Action.RESTART_SOURCE) {
          tellVm(s, VmPhase.BOOTING, 0, "move to " + s.toHost() + " failed: " + s.fallback() + "; restarting on "
              + s.fromHost());
        }
        MoveOpKind op = a == Action.DISCARD_TARGET && s.live() ? MoveOpKind.ABORT : a.op;
        String host = a.onSource ? s.fromHost() : s.toHost();
        // a fallback restart never defines the VM afresh: it boots from the data the source kept
        var spec = a == Action.RESTART_SOURCE ? null : s.spec();
        HostAgent.MoveOp cmd = new HostAgent.MoveOp(vmId, id, op, spec, s.bundle(), s.endpoint());
        context.askWithStatus(HostState.class, sharding.entityRefFor(HostEntity.ENTITY_KEY, host), ASK,
            r -> new HostEntity.ToAgent(cmd, r),
            (ok, err) -> err == null ? Delivered.INSTANCE : new Retry(id, a, -1));
        boolean copy = a == Action.EXPORT || a == Action.IMPORT || a == Action.MIGRATE;
        timers.startSingleTimer("step", new Retry(id, a, attempt), copy ? COPY_STEP : QUICK_STEP);
      }
    }
  }

  private void askVm(long id, Action a,
                     org.apache.pekko.japi.function.Function<ActorRef<StatusReply<VmState>>, VmEntity.Command> make) {
    context.askWithStatus(VmState.class, sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId), ASK,
        make::apply, (ok, err) -> new Acked(id, a, err));
  }

  private void release(long id, Action a, String host) {
    context.askWithStatus(HostState.class, sharding.entityRefFor(HostEntity.ENTITY_KEY, host), ASK,
        r -> new HostEntity.Release(vmId, a == Action.CLEAN_SOURCE ? "vm moved away" : "move given up", Who.MOVE, r),
        (ok, err) -> new Acked(id, a, err));
  }

  private void tellVm(MoveState s, VmPhase phase, int percent, String reason) {
    sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId).tell(new VmEntity.MoveProgress(s.moveId(), phase, percent, reason));
  }

  private ReplyEffect<MoveEvent, MoveState> onRetry(MoveState s, Retry r) {
    Action now = nextHere(s);
    if (r.moveId() != s.moveId() || now != r.action() || current != now) return Effect().noReply();
    if (r.attempt() >= 0 && r.attempt() != attempts) return Effect().noReply();
    if (now == Action.RESTART_SOURCE && attempts >= 2 * ATTEMPTS_BEFORE_FALLBACK) {
      // the source is gone (its host lost or unreachable): end the move, the VM failed, failover decides
      context.getLog().warn("move {} of vm {}: host {} did not restart it; ending the move", s.moveId(), vmId,
          s.fromHost());
      restartAbandoned = true;
      proceed(s);
      return Effect().noReply();
    }
    if (attempts >= ATTEMPTS_BEFORE_FALLBACK && canFallBack(s)) {
      String host = now.onSource ? s.fromHost() : s.toHost();
      return fallBack(s, "the control program of host " + host + " did not complete " + now.name().toLowerCase()
          .replace('_', ' ') + " after " + attempts + " attempts");
    }
    if (r.attempt() < 0) {
      // not delivered: try again after a pause, counting it as an attempt
      timers.startSingleTimer("step", new Retry(s.moveId(), now, attempts), RETRY_PAUSE);
      return Effect().noReply();
    }
    proceed(s);
    return Effect().noReply();
  }

  private ReplyEffect<MoveEvent, MoveState> onStepReport(MoveState s, StepReport r) {
    Action now = next(s);
    if (r.moveId() != s.moveId() || now.op == null || !opMatches(s, now, r.op())) return Effect().noReply();
    String expectedHost = now.onSource ? s.fromHost() : s.toHost();
    if (!expectedHost.equals(r.hostId())) return Effect().noReply();
    switch (r.status()) {
      case PROGRESS -> {
        timers.startSingleTimer("step", new Retry(s.moveId(), now, attempts), COPY_STEP);
        progress(s, now, r.percent());
        return Effect().noReply();
      }
      case FAILED -> {
        if (canFallBack(s)) return fallBack(s, r.reason());
        context.getLog().warn("move {} of vm {}: {} failed on {}: {}; trying again", s.moveId(), vmId, now, r.hostId(),
            r.reason());
        timers.startSingleTimer("step", new Retry(s.moveId(), now, attempts), RETRY_PAUSE);
        return Effect().noReply();
      }
      default -> {
        if (now == Action.CLEAN_SOURCE || now == Action.DISCARD_TARGET) {
          // the data is gone; the host gives back the reservation before the step counts as done
          release(s.moveId(), now, expectedHost);
          return Effect().noReply();
        }
        return done(s, now, r.hostId(), r.bundle(), r.endpoint(), r.downtimeMillis());
      }
    }
  }

  private static boolean opMatches(MoveState s, Action now, MoveOpKind op) {
    if (now == Action.DISCARD_TARGET) return op == (s.live() ? MoveOpKind.ABORT : MoveOpKind.DISCARD);
    return now.op == op;
  }

  private void progress(MoveState s, Action a, int pct) {
    int overall = switch (a) {
      case EXPORT -> pct / 2;
      case IMPORT -> 50 + pct / 2;
      default -> pct;
    };
    if (overall / 10 == lastPercentTold / 10 && lastPercentTold >= 0) return;
    lastPercentTold = overall;
    if (a == Action.MIGRATE) {
      tellVm(s, VmPhase.RUNNING, overall, "moving live to " + s.toHost() + ": " + overall + "%");
    } else {
      tellVm(s, VmPhase.COPYING, overall, "copying to " + s.toHost());
    }
  }

  private ReplyEffect<MoveEvent, MoveState> onAcked(MoveState s, Acked a) {
    Action now = nextHere(s);
    if (a.moveId() != s.moveId() || now != a.action()) return Effect().noReply();
    if (a.failure() != null) {
      boolean refused = a.failure() instanceof StatusReply.ErrorMessage;
      if (now == Action.CLAIM && refused) {
        return fallBack(s, "the vm changed before it moved: " + Rejection.decode(a.failure().getMessage()).message());
      }
      timers.startSingleTimer("step", new Retry(s.moveId(), now, attempts), RETRY_PAUSE);
      return Effect().noReply();
    }
    if (now == Action.END) {
      MoveState.Status outcome = !s.fallingBack() ? MoveState.Status.COMPLETED
          : s.has(MoveStep.VM_CLAIMED) ? MoveState.Status.FAILED : MoveState.Status.ABORTED;
      String why = s.fallingBack() ? s.fallback() : "vm runs on " + s.toHost();
      return Effect().persist(new MoveEvent.MoveEnded(vmId, s.moveId(), outcome, why, EventMeta.now(Who.MOVE)))
          .thenRun(st -> {
            timers.cancel("step");
            current = Action.NONE;
            // an ended move need not be remembered: it is restarted only when asked again
            if (shard != null) shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
          })
          .thenNoReply();
    }
    String host = now == Action.CLEAN_SOURCE ? s.fromHost() : now == Action.DISCARD_TARGET ? s.toHost() : null;
    return done(s, now, host, null, null, -1);
  }

  private ReplyEffect<MoveEvent, MoveState> done(MoveState s, Action a, String hostId, DataBundle bundle,
                                                 MigrationEndpoint endpoint, long downtime) {
    timers.cancel("step");
    return Effect().persist(new MoveEvent.MoveStepDone(vmId, s.moveId(), a.step, hostId, bundle, endpoint, downtime,
            EventMeta.now(Who.MOVE)))
        .thenRun(this::proceedUnlessHeld)
        .thenNoReply();
  }

  private ReplyEffect<MoveEvent, MoveState> fallBack(MoveState s, String reason) {
    timers.cancel("step");
    context.getLog().info("move {} of vm {} falls back to {}: {}", s.moveId(), vmId, s.fromHost(), reason);
    return Effect().persist(new MoveEvent.MoveFallingBack(vmId, s.moveId(), reason, EventMeta.now(Who.MOVE)))
        .thenRun(this::proceed)
        .thenNoReply();
  }

  @Override
  public SignalHandler<MoveState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          // resume from the last persisted step; the step under way when the crash came is sent again
          if (s.active()) proceed(s);
        })
        .build();
  }

  @Override
  public EventHandler<MoveState, MoveEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(MoveState::apply);
  }
}
