package io.actorvmm.runtime.scheduler;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.placement.PlacementEngine;
import io.actorvmm.domain.placement.PlacementRequest;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.vm.PlacementRules;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.domain.placement.PlacementPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * reserve capacity. The host has the last word: when it refuses (the view here was stale), the
 * scheduler takes the host's answer as its view and decides again.
 *
 * <p>Each host has at most one reservation batch in flight. Placements decided for a host while its
 * batch is being persisted are held in the view at once (so the next decisions see them) and sent
 * together as the host's next batch when the answer comes. A busy host thus persists many
 * reservations per write instead of one, while it alone still decides what fits.
 *
 * <p>A placement that finds no host while holds are in flight waits for those answers before it
 * is refused, because a hold the host refuses gives its capacity back.
 *
 * <p>A refused VM waits as Pending. Whenever a host gains room (a new host, a host back Up, a
 * reservation released) and every half minute, the scheduler asks the Pending VMs the node's
 * inventory lists to try again.
 */
public final class Scheduler {

  /** Every command the scheduler accepts. */
  public interface Command extends CborSerializable {}

  /**
   * A host's latest view, sent by the host entity after each change and on each heartbeat, with the
   * last reservation batch it persisted and its journal revision (older updates are ignored).
   */
  public record HostUpdated(HostCandidate host, long batch, long revision) implements Command {
    /** An update without a revision (revision -1): always taken. */
    public HostUpdated(HostCandidate host) {
      this(host, -1, -1);
    }
  }

  /**
   * Place a VM: decide and reserve. A move names the hosts it must not use ({@code excludeHosts}, its
   * source) or the one host it must use ({@code onlyHost}, null: any).
   */
  public record Place(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps, PlacementRules rules,
                      String who, ActorRef<PlaceResult> replyTo, Set<String> excludeHosts, String onlyHost)
      implements Command {

    /** Copies the set so the record stays immutable. */
    public Place {
      excludeHosts = excludeHosts == null ? Set.of() : Set.copyOf(excludeHosts);
    }

    /** A placement on any host. */
    public Place(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps, PlacementRules rules,
                 String who, ActorRef<PlaceResult> replyTo) {
      this(vmId, spec, appId, distinctFromApps, rules, who, replyTo, Set.of(), null);
    }

    /** True when the placement may use host {@code hostId}. */
    public boolean allows(String hostId) {
      return !excludeHosts.contains(hostId) && (onlyHost == null || onlyHost.equals(hostId));
    }

    /** A placement without rules besides anti-affinity. */
    public Place(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps, String who,
                 ActorRef<PlaceResult> replyTo) {
      this(vmId, spec, appId, distinctFromApps, PlacementRules.NONE, who, replyTo);
    }

    /** The request the placement engine ranks hosts for. */
    public PlacementRequest request() {
      PlacementRules r = PlacementRules.orNone(rules);
      return new PlacementRequest(vmId, spec, appId, distinctFromApps).withAffinity(r.affinityApps())
          .withMaxPerHost(r.maxPerHost());
    }
  }

  /** The answer to a placement: the decision with its reasons, and whether a host reserved capacity. */
  public record PlaceResult(PlacementDecision decision, boolean reserved) implements CborSerializable {}

  private enum Sweep implements Command { INSTANCE }

  private record BatchAnswered(String hostId, Batch batch, HostEntity.BatchReserved reply, Throwable failure)
      implements Command {}

  /** One placement waiting for its host's answer. */
  private record Pending(Place place, PlacementDecision decision, int attempt) {}

  private record Batch(long id, List<Pending> items) {}

  /** What the scheduler knows of one host. */
  private static final class Slot {
    HostCandidate confirmed;        // the host's own latest view
    long revision = -1;             // its journal revision
    long appliedBatch = -1;         // the last batch the host said it persisted
    Batch inFlight;                 // at most one batch asked and not answered
    final List<Pending> queued = new ArrayList<>();
    HostCandidate view;             // confirmed plus every hold it does not include yet

    Slot(HostCandidate confirmed) {
      this.confirmed = confirmed;
      this.view = confirmed;
    }

    void recompute() {
      HostCandidate v = confirmed;
      if (inFlight != null && appliedBatch != inFlight.id()) {
        for (Pending p : inFlight.items()) v = v.plus(p.place().appId(), p.place().spec().demand());
      }
      for (Pending p : queued) v = v.plus(p.place().appId(), p.place().spec().demand());
      view = v;
    }

    boolean busy() {
      return inFlight != null || !queued.isEmpty();
    }
  }

  private static final int ATTEMPTS = 5;
  private static final Duration ASK = Duration.ofSeconds(10);
  // a batch is bounded so one write never grows without limit
  private static final int MAX_BATCH = 512;

  private static final Duration SWEEP_DEBOUNCE = Duration.ofMillis(300);
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
  private static final int SWEEP_MAX = 1000;

  private final ActorContext<Command> context;
  private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;
  private final java.util.function.Supplier<List<String>> pendingVms;
  private final EntityRefs refs;
  private final PlacementEngine engine;
  private final Map<String, Slot> hosts = new HashMap<>();
  // placements that found no host while holds were in flight: decided again after each answer
  private final List<Pending> waiting = new ArrayList<>();
  // batch ids start from the clock so a restarted scheduler never reuses an id a host still remembers
  private long nextBatch = System.currentTimeMillis() << 16;

  private Scheduler(ActorContext<Command> context, org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers,
                    EntityRefs refs, PlacementEngine engine, java.util.function.Supplier<List<String>> pendingVms) {
    this.context = context;
    this.timers = timers;
    this.refs = refs;
    this.engine = engine;
    this.pendingVms = pendingVms;
  }

  /** The scheduler's behavior, without Pending VMs to retry. */
  public static Behavior<Command> create(EntityRefs refs, PlacementEngine engine) {
    return create(refs, engine, List::of);
  }

  /** The scheduler's behavior; {@code pendingVms} lists the VMs waiting as Pending. */
  public static Behavior<Command> create(EntityRefs refs, PlacementEngine engine,
                                         java.util.function.Supplier<List<String>> pendingVms) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay("sweep-every", Sweep.INSTANCE, SWEEP_EVERY);
      return new Scheduler(ctx, timers, refs, engine, pendingVms).behavior();
    }));
  }

  /** Starts (or joins) the singleton on seed nodes and returns its proxy. */
  public static ActorRef<Command> init(ActorSystem<?> system) {
    return init(system, List::of);
  }

  /** Starts (or joins) the singleton on seed nodes, retrying the Pending VMs {@code pendingVms} lists. */
  public static ActorRef<Command> init(ActorSystem<?> system, java.util.function.Supplier<List<String>> pendingVms) {
    EntityRefs refs = EntityRefs.sharded(system);
    return ClusterSingleton.get(system).init(
        SingletonActor.of(Behaviors.supervise(create(refs, PlacementEngine.standard(), pendingVms))
                .onFailure(SupervisorStrategy.restart()), "scheduler")
            .withSettings(org.apache.pekko.cluster.typed.ClusterSingletonSettings.create(system).withRole("seed")));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(HostUpdated.class, this::onHostUpdated)
        .onMessage(Place.class, p -> {
          decide(new Pending(p, null, 1));
          return Behaviors.same();
        })
        .onMessage(BatchAnswered.class, this::onBatchAnswered)
        .onMessage(Sweep.class, w -> {
          sweep();
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onHostUpdated(HostUpdated u) {
    String id = u.host().hostId();
    Slot slot = hosts.get(id);
    if (slot == null) {
      slot = new Slot(u.host());
      slot.revision = u.revision();
      slot.appliedBatch = u.batch();
      hosts.put(id, slot);
      if (u.host().status() == HostStatus.UP) sweepSoon();
      return Behaviors.same();
    }
    // an update overtaken by a newer answer of the same host would undo what that answer told
    if (u.revision() >= 0 && u.revision() < slot.revision) return Behaviors.same();
    if (gainedRoom(slot.confirmed, u.host())) sweepSoon();
    slot.confirmed = u.host();
    if (u.revision() >= 0) {
      slot.revision = u.revision();
      slot.appliedBatch = u.batch();
    }
    slot.recompute();
    if (!waiting.isEmpty() && !anyBusy()) retryWaiting();
    return Behaviors.same();
  }

  private void decide(Pending pending) {
    Place p = pending.place();
    PlacementRequest req = p.request();
    List<HostCandidate> views = new ArrayList<>(hosts.size());
    for (Slot s : hosts.values()) if (p.allows(s.view.hostId())) views.add(s.view);
    PlacementRules rules = PlacementRules.orNone(p.rules());
    PlacementDecision d = rules.policy() == null ? engine.decide(req, views)
        : engine.decide(req, views, PlacementPolicy.parse(rules.policy(), engine.defaultPolicy()));
    if (!d.placed()) {
      if (anyBusy()) {
        // holds in flight may yet be refused and give their capacity back: decide again after the answers
        waiting.add(new Pending(p, d, pending.attempt()));
      } else {
        p.replyTo().tell(new PlaceResult(d, false));
      }
      return;
    }
    Slot slot = hosts.get(d.chosenHost());
    Pending held = new Pending(p, d, pending.attempt());
    slot.queued.add(held);
    // hold the capacity in the view at once, so decisions taken before the host answers see it
    slot.view = slot.view.plus(p.appId(), p.spec().demand());
    if (slot.inFlight == null) flush(d.chosenHost(), slot);
  }

  private void flush(String hostId, Slot slot) {
    if (slot.queued.isEmpty()) return;
    int n = Math.min(MAX_BATCH, slot.queued.size());
    List<Pending> items = new ArrayList<>(slot.queued.subList(0, n));
    slot.queued.subList(0, n).clear();
    Batch batch = new Batch(nextBatch++, List.copyOf(items));
    slot.inFlight = batch;
    List<HostEntity.ReserveItem> reserve = new ArrayList<>(items.size());
    for (Pending p : items) {
      Place pl = p.place();
      reserve.add(new HostEntity.ReserveItem(pl.vmId(), pl.appId(), pl.spec().demand(), pl.distinctFromApps(),
          PlacementRules.orNone(pl.rules()).maxPerHost()));
    }
    String who = items.get(0).place().who();
    context.ask(HostEntity.BatchReserved.class, refs.host(hostId), ASK,
        r -> new HostEntity.ReserveBatch(batch.id(), reserve, who, r),
        (reply, err) -> new BatchAnswered(hostId, batch, reply, err));
  }

  private Behavior<Command> onBatchAnswered(BatchAnswered a) {
    Slot slot = hosts.get(a.hostId());
    slot.inFlight = null;
    List<Pending> again = new ArrayList<>();
    if (a.failure() != null) {
      // the host did not answer: it may have reserved or not; give back whatever it may hold, keep it out
      // of placements until it reports again, and decide elsewhere
      for (Pending p : a.batch().items()) {
        refs.host(a.hostId()).tell(new HostEntity.Release(p.place().vmId(), "reservation not confirmed", Who.SCHEDULER,
            context.getSystem().ignoreRef()));
        again.add(p);
      }
      slot.confirmed = slot.confirmed.withStatus(HostStatus.DOWN);
      context.getLog().info("host {} did not answer a reservation batch: {}", a.hostId(), a.failure().getMessage());
      slot.recompute();
      for (Pending p : again) retry(p, "host " + a.hostId() + " did not answer");
    } else {
      HostEntity.BatchReserved r = a.reply();
      if (r.revision() >= slot.revision) {
        slot.confirmed = r.host();
        slot.revision = r.revision();
        slot.appliedBatch = r.batchId();
      }
      for (Pending p : a.batch().items()) {
        String why = r.refused().get(p.place().vmId());
        if (why == null) {
          p.place().replyTo().tell(new PlaceResult(p.decision(), true));
        } else {
          context.getLog().info("host {} refused {}: {}", a.hostId(), p.place().vmId(), why);
          again.add(new Pending(p.place(), p.decision(), p.attempt()));
        }
      }
      slot.recompute();
      for (Pending p : again) retry(p, "host " + a.hostId() + " refused the reservation: "
          + r.refused().get(p.place().vmId()));
    }
    flush(a.hostId(), slot);
    if (!waiting.isEmpty()) retryWaiting();
    return Behaviors.same();
  }

  private void retry(Pending p, String why) {
    if (p.attempt() >= ATTEMPTS) {
      p.place().replyTo().tell(new PlaceResult(new PlacementDecision(p.place().vmId(), null,
          "no host fits: " + why, p.decision().verdicts()), false));
      return;
    }
    decide(new Pending(p.place(), null, p.attempt() + 1));
  }

  private void retryWaiting() {
    List<Pending> again = new ArrayList<>(waiting);
    waiting.clear();
    for (Pending p : again) {
      // a placement that waited is decided afresh; it is refused only once nothing is in flight
      decide(new Pending(p.place(), null, p.attempt()));
    }
  }

  /** True when {@code after} can take something {@code before} could not: back Up, or fewer VMs or resources. */
  private static boolean gainedRoom(HostCandidate before, HostCandidate after) {
    if (after.status() != HostStatus.UP) return false;
    if (before.status() != HostStatus.UP) return true;
    return after.vms() < before.vms() || !after.spec().equals(before.spec())
        || !before.free().fits(after.free()) || !after.used().fits(before.used());
  }

  private void sweepSoon() {
    if (!timers.isTimerActive("sweep-soon")) timers.startSingleTimer("sweep-soon", Sweep.INSTANCE, SWEEP_DEBOUNCE);
  }

  private void sweep() {
    List<String> pending;
    try {
      pending = pendingVms.get();
    } catch (RuntimeException e) {
      context.getLog().warn("cannot list pending VMs: {}", e.getMessage());
      return;
    }
    int n = 0;
    for (String vmId : pending) {
      if (n++ >= SWEEP_MAX) break;
      refs.vm(vmId).tell(VmEntity.RetryPlacement.INSTANCE);
    }
  }

  private boolean anyBusy() {
    for (Slot s : hosts.values()) if (s.busy()) return true;
    return false;
  }
}
