package io.actorvmm.runtime.service;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.Rejection;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.AvailabilityRule;
import io.actorvmm.domain.service.ServiceHealth;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.domain.service.ServiceValidation;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.Tags;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.vm.PlacementRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A service: a named set of applications with its rules. It supervises one child actor per
 * application ({@link AppWatcher}), starts its applications in their start order (an application
 * starts once every application it starts after runs), stops them in reverse order, and records its
 * availability with the reason whenever it changes.
 */
public final class ServiceEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ServiceEntity.Command, ServiceEvent, ServiceState> {

  /** The sharding key of services. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Service");

  /** Every command a service accepts. */
  public interface Command extends CborSerializable {}

  /** Define the service (again, identically, is accepted and changes nothing). */
  public record Define(ServiceSpec spec, String who, ActorRef<StatusReply<ServiceView>> replyTo) implements Command {}

  /** Run the service's applications in start order. */
  public record Start(String who, ActorRef<StatusReply<ServiceView>> replyTo) implements Command {}

  /** Stop the service's applications in reverse start order. */
  public record Stop(String who, ActorRef<StatusReply<ServiceView>> replyTo) implements Command {}

  /** An application of this service changed (pushed by the application). */
  public record AppObserved(String app, String status, int running, int replicas) implements Command {}

  /** An autoscaling rule asks for {@code to} replicas of {@code app}, and why. */
  public record ScaleApp(String app, int to, String reason) implements Command {}

  /** Read the service with its applications' latest states. */
  public record Get(ActorRef<ServiceView> replyTo) implements Command {}

  /** A child actor's report of its application. */
  record AppReported(String app, AppWatcher.Observed observed) implements Command {}

  /** A service with its applications' latest observed states. */
  public record ServiceView(ServiceState state, List<AppStatus> apps) implements CborSerializable {}

  /** An application's state as the service sees it. */
  public record AppStatus(String app, String status, int running, int replicas) implements CborSerializable {}

  private static final Duration POLL = Duration.ofSeconds(1);

  private final String name;
  private final ActorContext<Command> context;
  private final EntityRefs refs;
  private final Map<String, ActorRef<AppWatcher.Command>> watchers = new HashMap<>();
  private final Map<String, AppWatcher.Observed> observed = new HashMap<>();
  private final Map<String, ActorRef<AutoscaleWatcher.Command>> autoscalers = new HashMap<>();

  private ServiceEntity(String name, ActorContext<Command> context, EntityRefs refs) {
    super(PersistenceId.of(ENTITY_KEY.name(), name));
    this.name = name;
    this.context = context;
    this.refs = refs;
  }

  /** The behavior of service {@code name}. */
  public static Behavior<Command> create(String name, EntityRefs refs) {
    return Behaviors.setup(ctx -> new ServiceEntity(name, ctx, refs));
  }

  /** Starts sharding of services on this node. */
  public static void init(ActorSystem<?> system) {
    EntityRefs refs = EntityRefs.sharded(system);
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), refs)));
  }

  @Override
  public ServiceState emptyState() {
    return ServiceState.empty(name);
  }

  @Override
  public Set<String> tagsFor(ServiceEvent event) {
    return Tags.ALL;
  }

  @Override
  public CommandHandlerWithReply<Command, ServiceEvent, ServiceState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Define.class, this::onDefine)
        .onCommand(Start.class, this::onStart)
        .onCommand(Stop.class, this::onStop)
        .onCommand(AppObserved.class, (s, c) -> {
          ActorRef<AppWatcher.Command> w = watchers.get(c.app());
          if (w != null) w.tell(new AppWatcher.Observed(c.status(), c.running(), c.replicas()));
          return Effect().noReply();
        })
        .onCommand(AppReported.class, this::onAppReported)
        .onCommand(ScaleApp.class, this::onScaleApp)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), view(s)))
        .build();
  }

  private ReplyEffect<ServiceEvent, ServiceState> onDefine(ServiceState s, Define c) {
    List<String> problems = ServiceValidation.problems(c.spec());
    if (!problems.isEmpty()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid(problems.get(0))));
    if (!name.equals(c.spec().name())) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid("spec names service " + c.spec().name())));
    }
    if (s.exists()) {
      if (s.spec().equals(c.spec())) return Effect().reply(c.replyTo(), StatusReply.success(view(s)));
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "service " + name + " already exists with another definition")));
    }
    return Effect().persist(new ServiceEvent.ServiceDefined(name, c.spec(), EventMeta.now(c.who())))
        .thenRun(st -> {
          for (AppRequirement a : st.spec().apps()) {
            var rules = st.spec().rules();
            refs.app(a.app()).tell(new AppEntity.Define(a.kind(), a.replicas(), a.vm(), name,
                rules.distinct(a.app()), new PlacementRules(rules.affinityOf(a.app()), rules.maxPerHostOf(a.app()),
                    rules.placementPolicy()), c.who(), context.getSystem().ignoreRef()));
          }
          ensureWatchers(st);
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(view(st)));
  }

  private ReplyEffect<ServiceEvent, ServiceState> onStart(ServiceState s, Start c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), notFound());
    if (s.started()) {
      // starting again re-asks every issued application, which restarts failed replicas
      for (String app : s.issued()) startApp(app, c.who());
      return Effect().reply(c.replyTo(), StatusReply.success(view(s)));
    }
    List<ServiceEvent> events = new ArrayList<>();
    events.add(new ServiceEvent.ServiceStartRequested(name, EventMeta.now(c.who())));
    ServiceState next = s.apply(events.get(0));
    return persistProgress(next, events, c.who(), c.replyTo());
  }

  private ReplyEffect<ServiceEvent, ServiceState> onStop(ServiceState s, Stop c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), notFound());
    if (!s.started()) return Effect().reply(c.replyTo(), StatusReply.success(view(s)));
    List<ServiceEvent> events = new ArrayList<>();
    events.add(new ServiceEvent.ServiceStopRequested(name, EventMeta.now(c.who())));
    ServiceState next = s.apply(events.get(0));
    return persistProgress(next, events, c.who(), c.replyTo());
  }

  private ReplyEffect<ServiceEvent, ServiceState> onScaleApp(ServiceState s, ScaleApp c) {
    AppWatcher.Observed o = observed.get(c.app());
    if (!s.exists() || !s.started() || s.spec().rules().autoscaleOf(c.app()) == null || c.to() < 1) {
      return Effect().noReply();
    }
    int from = o == null ? s.spec().app(c.app()).replicas() : o.replicas();
    if (from == c.to()) return Effect().noReply();
    String who = Who.service(name);
    return Effect().persist(new ServiceEvent.ServiceAppScaled(name, c.app(), from, c.to(), c.reason(),
            EventMeta.now(who)))
        .thenRun(st -> refs.app(c.app()).tell(new AppEntity.Scale(c.to(), c.reason(), who,
            context.getSystem().ignoreRef())))
        .thenNoReply();
  }

  private ReplyEffect<ServiceEvent, ServiceState> onAppReported(ServiceState s, AppReported c) {
    if (!s.exists()) return Effect().noReply();
    observed.put(c.app(), c.observed());
    return persistProgress(s, new ArrayList<>(), Who.service(name), null);
  }

  /**
   * Appends to {@code events} the next steps from {@code s}: applications whose dependencies now run
   * are started, applications nothing running needs any more are stopped, and a changed availability
   * is recorded. Persists them all at once and then sends the start and stop requests.
   */
  private ReplyEffect<ServiceEvent, ServiceState> persistProgress(ServiceState s, List<ServiceEvent> events,
                                                                  String who, ActorRef<StatusReply<ServiceView>> replyTo) {
    EventMeta meta = EventMeta.now(who);
    List<String> toStart = new ArrayList<>();
    List<String> toStop = new ArrayList<>();
    ServiceState next = s;
    for (AppRequirement a : s.spec().apps()) {
      if (next.started() && !next.issued().contains(a.app()) && a.after().stream().allMatch(this::fullyUp)) {
        String why = a.after().isEmpty() ? "it needs no other application"
            : String.join(", ", a.after()) + (a.after().size() == 1 ? " runs" : " run");
        ServiceEvent e = new ServiceEvent.ServiceAppStartIssued(name, a.app(), why, meta);
        events.add(e);
        next = next.apply(e);
        toStart.add(a.app());
      } else if (!next.started() && next.issued().contains(a.app()) && nothingNeeds(next, a.app())) {
        ServiceEvent e = new ServiceEvent.ServiceAppStopIssued(name, a.app(), "nothing running needs it", meta);
        events.add(e);
        next = next.apply(e);
        toStop.add(a.app());
      }
    }
    if (observed.keySet().containsAll(appNames(s.spec()))) {
      Map<String, Integer> running = new HashMap<>();
      observed.forEach((app, o) -> running.put(app, o.running()));
      ServiceHealth h = AvailabilityRule.compute(s.spec(), running, !next.started());
      if (h.availability() != next.availability() || !h.reason().equals(next.reason())) {
        ServiceEvent e = new ServiceEvent.ServiceAvailabilityChanged(name, h.availability(), h.reason(), meta);
        events.add(e);
      }
    }
    if (events.isEmpty()) {
      return replyTo == null ? Effect().noReply() : Effect().reply(replyTo, StatusReply.success(view(s)));
    }
    var effect = Effect().persist(events).thenRun(st -> {
      toStart.forEach(app -> startApp(app, who));
      toStop.forEach(app -> refs.app(app).tell(new AppEntity.Stop(name, who, context.getSystem().ignoreRef())));
    });
    return replyTo == null ? effect.thenNoReply() : effect.thenReply(replyTo, st -> StatusReply.success(view(st)));
  }

  private void startApp(String app, String who) {
    refs.app(app).tell(new AppEntity.Start(name, who, context.getSystem().ignoreRef()));
  }

  private boolean fullyUp(String app) {
    AppWatcher.Observed o = observed.get(app);
    return o != null && o.running() >= o.replicas() && o.replicas() > 0;
  }

  private boolean nothingNeeds(ServiceState s, String app) {
    for (AppRequirement other : s.spec().apps()) {
      if (!other.after().contains(app)) continue;
      AppWatcher.Observed o = observed.get(other.app());
      if (s.issued().contains(other.app()) || (o != null && o.running() > 0)) return false;
    }
    return true;
  }

  private static List<String> appNames(ServiceSpec spec) {
    return spec.apps().stream().map(AppRequirement::app).toList();
  }

  private void ensureWatchers(ServiceState s) {
    if (!s.exists()) return;
    for (String app : appNames(s.spec())) {
      watchers.computeIfAbsent(app, a -> context.spawn(AppWatcher.create(a, context.getSelf(), refs, POLL),
          "app-" + a));
    }
    for (var rule : s.spec().rules().autoscale()) {
      if (rule == null || autoscalers.containsKey(rule.app())) continue;
      autoscalers.put(rule.app(), context.spawn(AutoscaleWatcher.create(rule, context.getSelf(), refs, POLL),
          "autoscale-" + rule.app()));
    }
  }

  private ServiceView view(ServiceState s) {
    List<AppStatus> apps = new ArrayList<>();
    if (s.exists()) {
      for (AppRequirement a : s.spec().apps()) {
        AppWatcher.Observed o = observed.get(a.app());
        apps.add(o == null ? new AppStatus(a.app(), "unknown", 0, a.replicas())
            : new AppStatus(a.app(), o.status(), o.running(), o.replicas()));
      }
    }
    return new ServiceView(s, apps);
  }

  private StatusReply<ServiceView> notFound() {
    return StatusReply.error(Rejection.notFound("service " + name + " not found"));
  }

  @Override
  public SignalHandler<ServiceState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::ensureWatchers).build();
  }

  @Override
  public EventHandler<ServiceState, ServiceEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ServiceState::apply);
  }
}
