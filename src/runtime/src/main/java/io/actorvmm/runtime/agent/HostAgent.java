package io.actorvmm.runtime.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.actorvmm.adapters.HostInventory;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.DataBundle;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.adapters.ObservedVm;
import io.actorvmm.runtime.move.MoveEntity;
import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A host's control program: registers the host from its virtual layer's inventory, keeps it alive
 * with heartbeats, and starts, stops and copies the host's VMs through the {@link HypervisorAdapter},
 * reporting every step to the VM's entity. It runs on the host's own node.
 *
 * <p>It reconciles at registration and every {@code avm.agent.reconcile-interval}: it compares the VMs
 * the host holds reservations for with what the virtual layer really runs and holds ({@link
 * HypervisorAdapter#list()}). A VM recorded here that does not run is reported to its entity, whose
 * restart policy corrects it; a VM that runs here but is assigned elsewhere or recorded stopped is
 * stopped, recorded on the host; a VM the cluster does not know is never touched, only listed as
 * unmanaged; a VM whose data was unavailable and is here again is handed back to its entity.
 */
public final class HostAgent {

  /**
   * Every command the control program accepts. {@link HostEntity.ToAgent} carries one across the
   * cluster as a field of this interface type, so the JSON names the concrete type.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Provision.class, name = "provision"),
      @JsonSubTypes.Type(value = StopVm.class, name = "stop-vm"),
      @JsonSubTypes.Type(value = MoveOp.class, name = "move-op"),
      @JsonSubTypes.Type(value = Inspect.class, name = "inspect"),
      @JsonSubTypes.Type(value = ReconcileNow.class, name = "reconcile-now")})
  public interface Command extends CborSerializable {}

  /** Establish the VM's image and data on this host and boot it (idempotent). */
  public record Provision(String vmId, VmSpec spec) implements Command {}

  /** Stop the VM and keep its data on this host. */
  public record StopVm(String vmId) implements Command {}

  /**
   * One step of a move on this host, reported to the VM's move process as {@link MoveEntity.StepReport}.
   * Every operation is idempotent, so a move that resumes after a crash may send it again.
   */
  public record MoveOp(String vmId, long moveId, MoveOpKind op, VmSpec spec, DataBundle bundle,
                       MigrationEndpoint endpoint) implements Command {}

  /** What a move asks of a host's control program. */
  public enum MoveOpKind {
    /** Stop the VM, keeping its data. */
    STOP,
    /** Establish the stopped VM's data as a bundle. */
    EXPORT,
    /** Copy a bundle in as the VM's data here. */
    IMPORT,
    /** Boot the VM from its data here (the target after a copy, or the source after a fallback). */
    START,
    /** Delete the VM and its data here; refused while it runs. */
    CLEANUP,
    /** Stop the VM if it runs and delete it and its data here (a target given up). */
    DISCARD,
    /** Get ready to receive the VM live. */
    PREPARE,
    /** Send the running VM live to the target. */
    MIGRATE,
    /** Settle the VM that arrived live. */
    FINISH,
    /** Remove what PREPARE set up. */
    ABORT
  }

  /** What this host's virtual layer knows of a VM: its state and whether it holds the VM's data. */
  public record Inspect(String vmId, ActorRef<VmOnHost> replyTo) implements Command {}

  /** The answer to {@link Inspect}. */
  public record VmOnHost(String hostId, String vmId, VmRuntimeState state, boolean hasData)
      implements CborSerializable {}

  private enum Tick implements Command { INSTANCE }

  private enum ReconcileTick implements Command { INSTANCE }

  /**
   * Run a reconcile pass now, besides the periodic ones; the answer is the number of VMs the pass
   * compared (reservations here and VMs the virtual layer has), or -1 when no pass could run.
   */
  public record ReconcileNow(ActorRef<Integer> replyTo) implements Command {}

  /** The host's recorded state, read for a reconcile pass; {@code replyTo} the asker of a pass on demand. */
  private record HostRead(HostState state, Throwable failure, ActorRef<Integer> replyTo) implements Command {}

  /** The recorded state of a VM this host runs or holds without a reservation for it. */
  private record VmRead(String vmId, VmState state, VmRuntimeState seen, boolean hasData) implements Command {}

  /** The virtual layer saw a VM change by itself (a crash, a program that exited). */
  private record VmStateChanged(String vmId, VmRuntimeState state) implements Command {}

  private record Registered(HostState state, Throwable failure) implements Command {}

  /**
   * Where the host stands, what it charges and how it is fenced, which the virtual layer cannot tell.
   */
  public record HostProfile(String site, int securityLevel, CostRates costRates, io.actorvmm.domain.Fencing fencing) {

    /** A host without fencing. */
    public HostProfile(String site, int securityLevel, CostRates costRates) {
      this(site, securityLevel, costRates, io.actorvmm.domain.Fencing.NONE);
    }

    /** A local host with no security level and no costs. */
    public static final HostProfile LOCAL = new HostProfile("local", 0, CostRates.FREE);
  }

  private static final Duration HEARTBEAT = Duration.ofSeconds(1);
  /** The setting that says how often the control program reconciles; 10 s when absent. */
  public static final String RECONCILE_INTERVAL = "avm.agent.reconcile-interval";
  private static final Duration ASK = Duration.ofSeconds(5);
  private static final Duration BOOT_REPORT_AFTER = Duration.ofMillis(50);

  private final String hostId;
  private final HypervisorAdapter adapter;
  private final HostProfile profile;
  private final ActorContext<Command> context;
  private final ClusterSharding sharding;
  private final String node;
  private boolean registered;
  private boolean reportedCrash;
  // the next pass is the first since this control program registered (or since its host was down): it
  // tells every VM what it found and looks at every VM whose data is here, not only at differences
  private boolean firstPass = true;
  // VMs the next pass looks up again: their entity did not answer, or was told its data is here (a tell
  // to a shard that is being handed back to this node may be dropped) and has not been placed here yet
  private final java.util.Set<String> recheck = new java.util.HashSet<>();
  // the VMs the host held a reservation for at the last pass: one whose reservation has since been given
  // back while its data stays here is looked up like on a first pass (a failover's release can reach the
  // host after it came back and after its first pass, when the VM was still reserved here)
  private Set<String> reservedAtLastPass = Set.of();
  private boolean passUnderWay;
  // VMs found running here that the journal does not know, as of the last pass
  private final Set<String> unknownRunning = new java.util.TreeSet<>();

  private HostAgent(String hostId, HypervisorAdapter adapter, HostProfile profile, ActorContext<Command> context) {
    this.hostId = hostId;
    this.adapter = adapter;
    this.profile = profile;
    this.context = context;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.node = org.apache.pekko.cluster.typed.Cluster.get(context.getSystem()).selfMember().address().toString();
  }

  /** How often control programs of this system reconcile. */
  static Duration reconcileInterval(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    var config = system.settings().config();
    return config.hasPath(RECONCILE_INTERVAL) ? config.getDuration(RECONCILE_INTERVAL) : Duration.ofSeconds(10);
  }

  /** The control program of {@code hostId} over {@code adapter}. */
  public static Behavior<Command> create(String hostId, HypervisorAdapter adapter, HostProfile profile) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      AgentRegistry.get(ctx.getSystem()).register(hostId, ctx.getSelf());
      adapter.onStateChange((vm, st) -> ctx.getSelf().tell(new VmStateChanged(vm, st)));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, HEARTBEAT);
      Duration every = reconcileInterval(ctx.getSystem());
      timers.startTimerWithFixedDelay(ReconcileTick.INSTANCE, every, every);
      return new HostAgent(hostId, adapter, profile, ctx).behavior();
    }));
  }

  /** The spec this host registers with. */
  public HostSpec spec() {
    HostInventory inv = adapter.inventory();
    return new HostSpec(hostId, inv.capacity(), inv.runtimes(), profile.site(), profile.securityLevel(),
        profile.costRates(), profile.fencing());
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Registered.class, this::onRegistered)
        .onMessage(Provision.class, this::onProvision)
        .onMessage(VmStateChanged.class, this::onVmStateChanged)
        .onMessage(StopVm.class, this::onStop)
        .onMessage(MoveOp.class, this::onMoveOp)
        .onMessage(Inspect.class, this::onInspect)
        .onMessage(ReconcileTick.class, t -> reconcile(null))
        .onMessage(ReconcileNow.class, c -> reconcile(c.replyTo()))
        .onMessage(HostRead.class, this::onHostRead)
        .onMessage(VmRead.class, this::onVmRead)
        .onSignal(PostStop.class, s -> {
          AgentRegistry.get(context.getSystem()).unregister(hostId);
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onTick() {
    var host = sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId);
    if (!adapter.hostAlive()) {
      if (!reportedCrash) {
        reportedCrash = true;
        host.tell(new HostEntity.MarkDown("host crashed: its virtual layer stopped answering", Who.AGENT,
            context.getSystem().ignoreRef()));
      }
      return Behaviors.same();
    }
    if (registered) {
      host.tell(new HostEntity.Heartbeat(node, context.getSystem().ignoreRef()));
    } else {
      context.pipeToSelf(
          host.<HostState>askWithStatus(r -> new HostEntity.Register(spec(), node, Who.AGENT, r), Duration.ofSeconds(5)),
          Registered::new);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRegistered(Registered r) {
    if (r.failure() != null) {
      context.getLog().warn("host {} not registered yet: {}", hostId, r.failure().getMessage());
    } else {
      registered = true;
      firstPass = true;
      context.getLog().info("host {} registered: {}", hostId, r.state().spec().capacity());
      reconcile(null);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onProvision(Provision p) {
    String vmId = p.vmId();
    try {
      VmRuntimeState now = adapter.status(vmId);
      if (now == VmRuntimeState.RUNNING) {
        report(vmId, VmPhase.RUNNING, 100, null);
        return Behaviors.same();
      }
      if (now == VmRuntimeState.COPYING || now == VmRuntimeState.BOOTING) return Behaviors.same();
      adapter.define(vmId, p.spec());
      // a VM that stopped or crashed here keeps its data: it boots from it
      var work = now == VmRuntimeState.READY || now == VmRuntimeState.STOPPED || now == VmRuntimeState.CRASHED
          ? java.util.concurrent.CompletableFuture.<Void>completedFuture(null)
          // the end of the copy is told by the boot that follows at once, so 100 % is not reported on its own
          : adapter.copyImage(vmId, p.spec(), pct -> {
            if (pct < 100) report(vmId, VmPhase.COPYING, pct, null);
          });
      work.thenCompose(v -> {
            // a VM that boots at once is reported running only (its entity records booting and running
            // together); one that takes longer is reported booting after BOOT_REPORT_AFTER
            CompletableFuture<Void> booted = adapter.start(vmId).toCompletableFuture();
            context.getSystem().scheduler().scheduleOnce(BOOT_REPORT_AFTER, () -> {
              if (!booted.isDone()) report(vmId, VmPhase.BOOTING, 100, null);
            }, context.getSystem().executionContext());
            return booted;
          })
          .whenComplete((v, err) -> {
            if (err == null) report(vmId, VmPhase.RUNNING, 100, null);
            else report(vmId, VmPhase.FAILED, 0, reason(err));
          });
    } catch (RuntimeException e) {
      report(vmId, VmPhase.FAILED, 0, reason(e));
    }
    return Behaviors.same();
  }

  // ---- reconciliation ----------------------------------------------------------------------------------

  /** Starts a pass: reads the host's recorded state first (its entity lives on this node). */
  private Behavior<Command> reconcile(ActorRef<Integer> replyTo) {
    if (!registered || passUnderWay || !adapter.hostAlive()) {
      if (replyTo != null) replyTo.tell(-1);
      return Behaviors.same();
    }
    passUnderWay = true;
    context.ask(HostState.class, sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId), ASK, HostEntity.Get::new,
        (st, err) -> new HostRead(st, err, replyTo));
    return Behaviors.same();
  }

  /**
   * One pass: every VM the host holds a reservation for is compared with what the virtual layer has
   * (on the first pass all of them are told, later only those that do not run); every VM the layer runs
   * without a reservation here, and every one whose data is here on the first pass (later: once its
   * reservation here was given back), is looked up.
   */
  private Behavior<Command> onHostRead(HostRead r) {
    passUnderWay = false;
    int compared = pass(r);
    if (r.replyTo() != null) r.replyTo().tell(compared);
    return Behaviors.same();
  }

  /** The pass itself; the number of VMs it compared, or -1 when it could not run. */
  private int pass(HostRead r) {
    if (r.failure() != null) {
      context.getLog().debug("host {}: reconcile skipped, host not read: {}", hostId, r.failure().getMessage());
      return -1;
    }
    HostState host = r.state();
    if (host.status() == io.actorvmm.domain.HostStatus.DOWN) {
      // its VMs are being failed over; once the host is back, the next pass looks at everything again
      firstPass = true;
      return -1;
    }
    java.util.List<ObservedVm> observed;
    java.util.List<String> foreign;
    try {
      observed = adapter.list();
      foreign = adapter.unmanaged();
    } catch (RuntimeException e) {
      context.getLog().warn("host {}: reconcile skipped, the virtual layer did not list its VMs: {}", hostId,
          reason(e));
      return -1;
    }
    boolean first = firstPass;
    firstPass = false;
    java.util.Map<String, ObservedVm> byId = new java.util.HashMap<>(observed.size() * 2);
    for (ObservedVm o : observed) byId.put(o.vmId(), o);
    for (String vmId : host.reservations().keySet()) {
      ObservedVm o = byId.get(vmId);
      VmEntity.Seen seen = seen(o == null ? VmRuntimeState.UNKNOWN : o.state());
      if (first || (seen != VmEntity.Seen.RUNNING && seen != VmEntity.Seen.STARTING)) {
        sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId)
            .tell(new VmEntity.Observed(hostId, seen, o != null && o.hasData(), first));
      }
    }
    unknownRunning.retainAll(byId.keySet());
    recheck.retainAll(byId.keySet());
    for (ObservedVm o : observed) {
      if (host.reservations().containsKey(o.vmId())) {
        recheck.remove(o.vmId());
        continue;
      }
      boolean runs = o.state() == VmRuntimeState.RUNNING || o.state() == VmRuntimeState.BOOTING;
      if (!runs) unknownRunning.remove(o.vmId());
      boolean released = reservedAtLastPass.contains(o.vmId());
      if (runs || ((first || released) && o.hasData()) || recheck.contains(o.vmId())) {
        context.ask(VmState.class, sharding.entityRefFor(VmEntity.ENTITY_KEY, o.vmId()), ASK, VmEntity.Get::new,
            (st, err) -> new VmRead(o.vmId(), err == null ? st : null, o.state(), o.hasData()));
      }
    }
    reservedAtLastPass = Set.copyOf(host.reservations().keySet());
    java.util.TreeSet<String> unmanaged = new java.util.TreeSet<>(foreign);
    unmanaged.addAll(unknownRunning);
    sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId).tell(new HostEntity.SetUnmanaged(java.util.List.copyOf(unmanaged)));
    return host.reservations().size() + observed.size();
  }

  /** What a VM seen in {@code state} by the virtual layer is, for its entity. */
  static VmEntity.Seen seen(VmRuntimeState state) {
    return switch (state) {
      case RUNNING -> VmEntity.Seen.RUNNING;
      case COPYING, BOOTING -> VmEntity.Seen.STARTING;
      case CRASHED -> VmEntity.Seen.CRASHED;
      case STOPPED -> VmEntity.Seen.STOPPED;
      default -> VmEntity.Seen.ABSENT;
    };
  }

  /**
   * A VM the virtual layer has here without a reservation: unknown to the journal, it is left alone and
   * listed; one whose data was unavailable gets it back; one assigned elsewhere or recorded stopped is
   * stopped here, so it never runs in two places (its data stays for the operator to decide).
   */
  private Behavior<Command> onVmRead(VmRead r) {
    VmState st = r.state();
    if (st == null) {
      recheck.add(r.vmId());  // not answered: the next pass asks again
      return Behaviors.same();
    }
    recheck.remove(r.vmId());
    boolean runs = r.seen() == VmRuntimeState.RUNNING || r.seen() == VmRuntimeState.BOOTING;
    if (!st.exists()) {
      if (runs) unknownRunning.add(r.vmId());
      return Behaviors.same();
    }
    unknownRunning.remove(r.vmId());
    if (hostId.equals(st.hostId())) return Behaviors.same();  // placed here since the host was read
    if (st.inMove() && (hostId.equals(st.moving().fromHost()) || hostId.equals(st.moving().toHost()))) {
      return Behaviors.same();  // its move decides
    }
    if (st.dataLoss() != null && hostId.equals(st.dataLoss().hostId()) && r.hasData()) {
      context.getLog().info("host {}: vm {}'s data is here again; its entity is told", hostId, r.vmId());
      sharding.entityRefFor(VmEntity.ENTITY_KEY, r.vmId()).tell(new VmEntity.DataFound(hostId));
      recheck.add(r.vmId());  // until it is placed here
      return Behaviors.same();
    }
    if (!runs) return Behaviors.same();
    VmRuntimeState now = adapter.status(r.vmId());
    if (now != VmRuntimeState.RUNNING && now != VmRuntimeState.BOOTING) return Behaviors.same();
    String why = "vm " + r.vmId() + " ran on " + hostId + " although it is "
        + (st.hostId() != null ? "assigned to " + st.hostId() : "recorded " + st.phase().label()) + "; stopped it here";
    org.slf4j.Logger log = context.getLog();
    log.warn("host {}: {}", hostId, why);
    var host = sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId);
    try {
      adapter.stop(r.vmId()).whenComplete((v, err) -> {
        if (err == null) host.tell(new HostEntity.RecordStop(r.vmId(), why));
        else log.warn("host {}: stopping vm {} failed: {}", hostId, r.vmId(), reason(err));
      });
    } catch (RuntimeException e) {
      log.warn("host {}: stopping vm {} failed: {}", hostId, r.vmId(), reason(e));
    }
    return Behaviors.same();
  }

  /** A VM that crashed or stopped by itself goes to its entity, whose restart policy decides. */
  private Behavior<Command> onVmStateChanged(VmStateChanged c) {
    if (c.state() == VmRuntimeState.CRASHED || c.state() == VmRuntimeState.STOPPED) {
      boolean data;
      try {
        data = adapter.hasData(c.vmId());
      } catch (RuntimeException e) {
        data = true;  // a layer that cannot tell keeps what it ran
      }
      sharding.entityRefFor(VmEntity.ENTITY_KEY, c.vmId())
          .tell(new VmEntity.Observed(hostId, seen(c.state()), data, false));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onStop(StopVm s) {
    try {
      adapter.stop(s.vmId()).whenComplete((v, err) -> {
        if (err == null) report(s.vmId(), VmPhase.STOPPED, 0, null);
        else report(s.vmId(), VmPhase.FAILED, 0, reason(err));
      });
    } catch (RuntimeException e) {
      report(s.vmId(), VmPhase.FAILED, 0, reason(e));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onInspect(Inspect c) {
    boolean data;
    try {
      data = adapter.hasData(c.vmId());
    } catch (RuntimeException e) {
      data = false;
    }
    c.replyTo().tell(new VmOnHost(hostId, c.vmId(), adapter.status(c.vmId()), data));
    return Behaviors.same();
  }

  private Behavior<Command> onMoveOp(MoveOp m) {
    String vmId = m.vmId();
    try {
      VmRuntimeState now = adapter.status(vmId);
      switch (m.op()) {
        case STOP -> {
          if (now == VmRuntimeState.UNKNOWN) {
            moveFailed(m, "vm " + vmId + " is not on host " + hostId);
          } else if (now == VmRuntimeState.RUNNING || now == VmRuntimeState.BOOTING) {
            adapter.stop(vmId).whenComplete((v, err) -> moveDone(m, err, null, null, -1));
          } else {
            moveDone(m, null, null, null, -1);
          }
        }
        case EXPORT -> adapter.exportData(vmId, pct -> moveProgress(m, pct))
            .whenComplete((b, err) -> moveDone(m, err, b, null, -1));
        case IMPORT -> {
          if (adapter.hasData(vmId) && now != VmRuntimeState.COPYING && now != VmRuntimeState.RUNNING) {
            moveDone(m, null, null, null, -1);
          } else {
            adapter.importData(vmId, m.spec(), m.bundle(), pct -> moveProgress(m, pct))
                .whenComplete((v, err) -> moveDone(m, err, null, null, -1));
          }
        }
        case START -> {
          if (now == VmRuntimeState.RUNNING) {
            moveDone(m, null, null, null, -1);
          } else if (now == VmRuntimeState.UNKNOWN && m.spec() == null) {
            // a restart after a fallback boots from the data kept here, never an empty VM
            moveFailed(m, "vm " + vmId + " is no longer on host " + hostId);
          } else {
            if (now == VmRuntimeState.UNKNOWN) adapter.define(vmId, m.spec());
            adapter.start(vmId).whenComplete((v, err) -> moveDone(m, err, null, null, -1));
          }
        }
        case CLEANUP -> {
          if (now == VmRuntimeState.RUNNING || now == VmRuntimeState.BOOTING) {
            // the data of a VM that runs here is never deleted
            moveFailed(m, "vm " + vmId + " runs on host " + hostId + "; its data stays");
          } else {
            if (now != VmRuntimeState.UNKNOWN) adapter.destroy(vmId);
            moveDone(m, null, null, null, -1);
          }
        }
        case DISCARD -> {
          if (now == VmRuntimeState.UNKNOWN) {
            moveDone(m, null, null, null, -1);
          } else {
            java.util.concurrent.CompletionStage<Void> stopped = now == VmRuntimeState.RUNNING || now == VmRuntimeState.BOOTING
                ? adapter.stop(vmId) : java.util.concurrent.CompletableFuture.completedFuture(null);
            stopped.whenComplete((v, err) -> {
              try {
                adapter.destroy(vmId);
                moveDone(m, null, null, null, -1);
              } catch (RuntimeException e) {
                moveDone(m, e, null, null, -1);
              }
            });
          }
        }
        case PREPARE -> adapter.prepareIncoming(vmId, m.spec()).whenComplete((e, err) -> moveDone(m, err, null, e, -1));
        case MIGRATE -> {
          if (now == VmRuntimeState.UNKNOWN) {
            // gone from here already: an earlier attempt moved it; the target's FINISH confirms
            moveDone(m, null, null, null, -1);
          } else {
            adapter.migrateLive(vmId, m.endpoint(), pct -> moveProgress(m, pct))
                .whenComplete((r, err) -> moveDone(m, err, null, null, r == null ? -1 : r.downtimeMillis()));
          }
        }
        case FINISH -> adapter.finishIncoming(vmId).whenComplete((v, err) -> moveDone(m, err, null, null, -1));
        case ABORT -> {
          if (now != VmRuntimeState.RUNNING) adapter.abortIncoming(vmId);
          moveDone(m, null, null, null, -1);
        }
        default -> moveFailed(m, "unknown move step " + m.op());
      }
    } catch (RuntimeException e) {
      moveFailed(m, reason(e));
    }
    return Behaviors.same();
  }

  private void moveProgress(MoveOp m, int pct) {
    moveReport(new MoveEntity.StepReport(m.vmId(), m.moveId(), m.op(), hostId, MoveEntity.StepStatus.PROGRESS, pct,
        null, null, null, -1));
  }

  private void moveFailed(MoveOp m, String why) {
    moveReport(new MoveEntity.StepReport(m.vmId(), m.moveId(), m.op(), hostId, MoveEntity.StepStatus.FAILED, 0, why,
        null, null, -1));
  }

  private void moveDone(MoveOp m, Throwable err, DataBundle bundle, MigrationEndpoint endpoint, long downtime) {
    if (err != null) {
      moveFailed(m, reason(err));
    } else {
      moveReport(new MoveEntity.StepReport(m.vmId(), m.moveId(), m.op(), hostId, MoveEntity.StepStatus.DONE, 100,
          null, bundle, endpoint, downtime));
    }
  }

  private void moveReport(MoveEntity.StepReport r) {
    sharding.entityRefFor(MoveEntity.ENTITY_KEY, r.vmId()).tell(r);
  }

  private void report(String vmId, VmPhase phase, int percent, String reason) {
    sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId).tell(new VmEntity.AgentReport(hostId, phase, percent, reason));
  }

  private static String reason(Throwable err) {
    Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
