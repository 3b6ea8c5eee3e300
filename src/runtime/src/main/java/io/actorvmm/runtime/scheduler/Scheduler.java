package io.actorvmm.runtime.scheduler;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.placement.PlacementEngine;
import io.actorvmm.domain.placement.PlacementRequest;
import io.actorvmm.domain.Rejection;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The scheduler, a cluster singleton on seed nodes: keeps a capacity view of every host from the
 * hosts' own updates, ranks hosts with the domain's placement engine, and asks the chosen host to
 * reserve capacity. The host has the last word: when it refuses (its view was stale), the scheduler
 * updates its view and decides again.
 */
public final class Scheduler {

  /** Every command the scheduler accepts. */
  public interface Command extends CborSerializable {}

  /** A host's latest state, sent by the host entity after each change and on each heartbeat. */
  public record HostUpdated(HostCandidate host) implements Command {}

  /** Place a VM: decide and reserve. */
  public record Place(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps, String who,
                      ActorRef<PlaceResult> replyTo) implements Command {}

  /** The answer to a placement: the decision with its reasons, and whether a host reserved capacity. */
  public record PlaceResult(PlacementDecision decision, boolean reserved) implements CborSerializable {}

  private record Reserved(Place request, PlacementDecision decision, HostState state, Throwable failure, int attempt)
      implements Command {}

  private static final int ATTEMPTS = 5;
  private static final Duration ASK = Duration.ofSeconds(10);

  private final ActorContext<Command> context;
  private final EntityRefs refs;
  private final PlacementEngine engine;
  private final Map<String, HostCandidate> hosts = new HashMap<>();

  private Scheduler(ActorContext<Command> context, EntityRefs refs, PlacementEngine engine) {
    this.context = context;
    this.refs = refs;
    this.engine = engine;
  }

  /** The scheduler's behavior. */
  public static Behavior<Command> create(EntityRefs refs, PlacementEngine engine) {
    return Behaviors.setup(ctx -> new Scheduler(ctx, refs, engine).behavior());
  }

  /** Starts (or joins) the singleton on seed nodes and returns its proxy. */
  public static ActorRef<Command> init(ActorSystem<?> system) {
    EntityRefs refs = EntityRefs.sharded(system);
    return ClusterSingleton.get(system).init(
        SingletonActor.of(Behaviors.supervise(create(refs, PlacementEngine.standard()))
                .onFailure(SupervisorStrategy.restart()), "scheduler")
            .withSettings(org.apache.pekko.cluster.typed.ClusterSingletonSettings.create(system).withRole("seed")));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(HostUpdated.class, u -> {
          hosts.put(u.host().hostId(), u.host());
          return Behaviors.same();
        })
        .onMessage(Place.class, p -> {
          decide(p, 1);
          return Behaviors.same();
        })
        .onMessage(Reserved.class, this::onReserved)
        .build();
  }

  private void decide(Place p, int attempt) {
    PlacementRequest req = new PlacementRequest(p.vmId(), p.spec(), p.appId(), p.distinctFromApps());
    PlacementDecision d = engine.decide(req, List.copyOf(hosts.values()));
    if (!d.placed()) {
      p.replyTo().tell(new PlaceResult(d, false));
      return;
    }
    String hostId = d.chosenHost();
    // hold the capacity in the view at once, so decisions taken before the host answers see it
    hosts.computeIfPresent(hostId, (id, h) -> withTentative(h, p));
    context.askWithStatus(HostState.class, refs.host(hostId), ASK,
        r -> new HostEntity.Reserve(p.vmId(), p.appId(), p.spec().demand(), p.distinctFromApps(), p.who(), r),
        (state, err) -> new Reserved(p, d, state, err, attempt));
  }

  private Behavior<Command> onReserved(Reserved r) {
    String hostId = r.decision().chosenHost();
    if (r.failure() == null) {
      hosts.put(hostId, r.state().candidate());
      r.request().replyTo().tell(new PlaceResult(r.decision(), true));
      return Behaviors.same();
    }
    // the host refused: its view here was stale; drop the tentative hold and decide again
    hosts.computeIfPresent(hostId, (id, h) -> withoutVm(h, r.request().vmId(), r.request().spec()));
    String why = Rejection.decode(r.failure().getMessage()).message();
    context.getLog().info("host {} refused {}: {}", hostId, r.request().vmId(), why);
    if (r.attempt() >= ATTEMPTS) {
      HostCandidate h = hosts.get(hostId);
      if (h != null) hosts.put(hostId, new HostCandidate(h.spec(), HostStatus.DOWN, h.used(), h.vmApps()));
      r.request().replyTo().tell(new PlaceResult(new PlacementDecision(r.request().vmId(), null,
          "no host fits: " + hostId + " refused the reservation (" + why + ")", r.decision().verdicts()), false));
      return Behaviors.same();
    }
    if (why.contains("is down") || why.contains("in maintenance") || why.contains("not reachable")
        || why.contains("not found")) {
      HostCandidate h = hosts.get(hostId);
      if (h != null) hosts.put(hostId, new HostCandidate(h.spec(), HostStatus.DOWN, h.used(), h.vmApps()));
    } else {
      // ask the host for its true state before deciding again
      hosts.remove(hostId);
      refs.host(hostId).tell(HostEntity.Publish.INSTANCE);
    }
    decide(r.request(), r.attempt() + 1);
    return Behaviors.same();
  }

  private static HostCandidate withTentative(HostCandidate h, Place p) {
    Map<String, String> apps = new LinkedHashMap<>(h.vmApps());
    apps.put(p.vmId(), p.appId() == null ? "" : p.appId());
    return new HostCandidate(h.spec(), h.status(), h.used().plus(p.spec().demand()), apps);
  }

  private static HostCandidate withoutVm(HostCandidate h, String vmId, VmSpec spec) {
    if (!h.vmApps().containsKey(vmId)) return h;
    Map<String, String> apps = new LinkedHashMap<>(h.vmApps());
    apps.remove(vmId);
    return new HostCandidate(h.spec(), h.status(), h.used().minus(spec.demand()), apps);
  }
}
