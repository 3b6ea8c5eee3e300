package io.actorvmm.runtime.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.actorvmm.adapters.HostInventory;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.vm.VmEntity;
import java.time.Duration;
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
 */
public final class HostAgent {

  /**
   * Every command the control program accepts. {@link HostEntity.ToAgent} carries one across the
   * cluster as a field of this interface type, so the JSON names the concrete type.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Provision.class, name = "provision"),
      @JsonSubTypes.Type(value = StopVm.class, name = "stop-vm")})
  public interface Command extends CborSerializable {}

  /** Establish the VM's image and data on this host and boot it (idempotent). */
  public record Provision(String vmId, VmSpec spec) implements Command {}

  /** Stop the VM and keep its data on this host. */
  public record StopVm(String vmId) implements Command {}

  private enum Tick implements Command { INSTANCE }

  /** The virtual layer saw a VM change by itself (a crash, a program that exited). */
  private record VmStateChanged(String vmId, VmRuntimeState state) implements Command {}

  private record Registered(HostState state, Throwable failure) implements Command {}

  /** Where the host stands and what it charges, which the virtual layer cannot tell. */
  public record HostProfile(String site, int securityLevel, CostRates costRates) {

    /** A local host with no security level and no costs. */
    public static final HostProfile LOCAL = new HostProfile("local", 0, CostRates.FREE);
  }

  private static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private final String hostId;
  private final HypervisorAdapter adapter;
  private final HostProfile profile;
  private final ActorContext<Command> context;
  private final ClusterSharding sharding;
  private final String node;
  private boolean registered;
  private boolean reportedCrash;

  private HostAgent(String hostId, HypervisorAdapter adapter, HostProfile profile, ActorContext<Command> context) {
    this.hostId = hostId;
    this.adapter = adapter;
    this.profile = profile;
    this.context = context;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.node = org.apache.pekko.cluster.typed.Cluster.get(context.getSystem()).selfMember().address().toString();
  }

  /** The control program of {@code hostId} over {@code adapter}. */
  public static Behavior<Command> create(String hostId, HypervisorAdapter adapter, HostProfile profile) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      AgentRegistry.get(ctx.getSystem()).register(hostId, ctx.getSelf());
      adapter.onStateChange((vm, st) -> ctx.getSelf().tell(new VmStateChanged(vm, st)));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, HEARTBEAT);
      return new HostAgent(hostId, adapter, profile, ctx).behavior();
    }));
  }

  /** The spec this host registers with. */
  public HostSpec spec() {
    HostInventory inv = adapter.inventory();
    return new HostSpec(hostId, inv.capacity(), inv.runtimes(), profile.site(), profile.securityLevel(),
        profile.costRates());
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Registered.class, this::onRegistered)
        .onMessage(Provision.class, this::onProvision)
        .onMessage(VmStateChanged.class, this::onVmStateChanged)
        .onMessage(StopVm.class, this::onStop)
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
      context.getLog().info("host {} registered: {}", hostId, r.state().spec().capacity());
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
      var work = now == VmRuntimeState.READY || now == VmRuntimeState.STOPPED
          ? java.util.concurrent.CompletableFuture.<Void>completedFuture(null)
          : adapter.copyImage(vmId, p.spec(), pct -> report(vmId, VmPhase.COPYING, pct, null));
      work.thenCompose(v -> {
            report(vmId, VmPhase.BOOTING, 100, null);
            return adapter.start(vmId);
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

  private Behavior<Command> onVmStateChanged(VmStateChanged c) {
    if (c.state() == VmRuntimeState.CRASHED) {
      report(c.vmId(), VmPhase.FAILED, 0, "vm crashed on host " + hostId);
    } else if (c.state() == VmRuntimeState.STOPPED) {
      report(c.vmId(), VmPhase.FAILED, 0, "vm stopped by itself on host " + hostId);
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

  private void report(String vmId, VmPhase phase, int percent, String reason) {
    sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId).tell(new VmEntity.AgentReport(hostId, phase, percent, reason));
  }

  private static String reason(Throwable err) {
    Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
