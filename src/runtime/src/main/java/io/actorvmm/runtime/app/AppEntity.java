package io.actorvmm.runtime.app;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.Rejection;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.Tags;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.vm.PlacementRules;
import io.actorvmm.runtime.vm.VmEntity;
import java.util.Objects;
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
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * An application: a program that runs in one VM per replica. Services define it (it may belong to
 * several) and ask it to run; it creates and starts its replicas' VMs, follows their states, and
 * reports its own state to every service it belongs to.
 */
public final class AppEntity extends EventSourcedBehaviorWithEnforcedReplies<AppEntity.Command, AppEvent, AppState> {

  /** The sharding key of applications. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "App");

  /** Every command an application accepts. */
  public interface Command extends CborSerializable {}

  /** Define the application for {@code service}, or add {@code service} to an identical definition. */
  public record Define(String kind, int replicas, VmSpec vm, String service, boolean distinctHosts,
                       PlacementRules rules, String who, ActorRef<StatusReply<AppState>> replyTo) implements Command {
    /** A definition without placement rules besides anti-affinity. */
    public Define(String kind, int replicas, VmSpec vm, String service, boolean distinctHosts, String who,
                  ActorRef<StatusReply<AppState>> replyTo) {
      this(kind, replicas, vm, service, distinctHosts, PlacementRules.NONE, who, replyTo);
    }
  }

  /**
   * Change the replica count to {@code replicas} (at least 1), and why: new replicas are created and
   * started when the application is wanted, the highest-numbered ones beyond the count are stopped.
   */
  public record Scale(int replicas, String reason, String who, ActorRef<StatusReply<AppState>> replyTo)
      implements Command {}

  /** {@code by} wants the application running: create and start any replica that does not run. */
  public record Start(String by, String who, ActorRef<StatusReply<AppState>> replyTo) implements Command {}

  /** {@code by} no longer wants it running; the replicas stop once nobody does. */
  public record Stop(String by, String who, ActorRef<StatusReply<AppState>> replyTo) implements Command {}

  /** A replica's VM changed phase. */
  public record VmChanged(String vmId, VmPhase phase, String hostId) implements Command {}

  /** Read the state. */
  public record Get(ActorRef<AppState> replyTo) implements Command {}

  private final String appId;
  private final ActorContext<Command> context;
  private final EntityRefs refs;

  private AppEntity(String appId, ActorContext<Command> context, EntityRefs refs) {
    super(PersistenceId.of(ENTITY_KEY.name(), appId));
    this.appId = appId;
    this.context = context;
    this.refs = refs;
  }

  /** The behavior of application {@code appId}. */
  public static Behavior<Command> create(String appId, EntityRefs refs) {
    return Behaviors.setup(ctx -> new AppEntity(appId, ctx, refs));
  }

  /** Starts sharding of applications on this node. */
  public static void init(ActorSystem<?> system) {
    EntityRefs refs = EntityRefs.sharded(system);
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), refs)));
  }

  @Override
  public AppState emptyState() {
    return AppState.empty(appId);
  }

  @Override
  public Set<String> tagsFor(AppEvent event) {
    return Tags.ALL;
  }

  @Override
  public CommandHandlerWithReply<Command, AppEvent, AppState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Define.class, this::onDefine)
        .onCommand(Start.class, this::onStart)
        .onCommand(Scale.class, this::onScale)
        .onCommand(Stop.class, this::onStop)
        .onCommand(VmChanged.class, this::onVmChanged)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .build();
  }

  private ReplyEffect<AppEvent, AppState> onDefine(AppState s, Define c) {
    EventMeta meta = EventMeta.now(c.who());
    if (!s.exists()) {
      if (c.replicas() < 1) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid("replicas must be at least 1")));
      return Effect().persist(new AppEvent.AppDefined(appId, c.kind(), c.replicas(), c.vm(), c.service(),
              c.distinctHosts(), meta, PlacementRules.orNone(c.rules())))
          .thenReply(c.replyTo(), StatusReply::success);
    }
    if (!sameDefinition(s, c)) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict(
          "app " + appId + " is already defined differently (by " + String.join(", ", s.services()) + ")")));
    }
    if (s.services().contains(c.service()) && (s.distinctHosts() || !c.distinctHosts())
        && s.rules().equals(s.rules().merge(c.rules()))) {
      return Effect().reply(c.replyTo(), StatusReply.success(s));
    }
    return Effect().persist(new AppEvent.AppJoinedService(appId, c.service(), c.distinctHosts(), meta,
            PlacementRules.orNone(c.rules())))
        .thenReply(c.replyTo(), StatusReply::success);
  }

  /** True when {@code c} defines the application exactly as it is. */
  public static boolean sameDefinition(AppState s, Define c) {
    return Objects.equals(s.kind(), c.kind()) && s.replicas() == c.replicas() && Objects.equals(s.vm(), c.vm());
  }

  private ReplyEffect<AppEvent, AppState> onStart(AppState s, Start c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("app " + appId + " not found")));
    if (s.wantedBy().contains(c.by())) {
      startReplicas(s, c.who());
      return Effect().reply(c.replyTo(), StatusReply.success(s));
    }
    return Effect().persist(new AppEvent.AppStartRequested(appId, c.by(), EventMeta.now(c.who())))
        .thenRun(st -> startReplicas(st, c.who()))
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<AppEvent, AppState> onStop(AppState s, Stop c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("app " + appId + " not found")));
    if (!s.wantedBy().contains(c.by())) return Effect().reply(c.replyTo(), StatusReply.success(s));
    return Effect().persist(new AppEvent.AppStopRequested(appId, c.by(), EventMeta.now(c.who())))
        .thenRun(st -> {
          if (st.wantedBy().isEmpty()) {
            for (String vmId : st.replicaVmIds()) {
              refs.vm(vmId).tell(new VmEntity.Stop(c.who(), context.getSystem().ignoreRef()));
            }
          }
          notifyServices(st);
        })
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<AppEvent, AppState> onScale(AppState s, Scale c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("app " + appId + " not found")));
    if (c.replicas() < 1) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid("replicas must be at least 1")));
    if (c.replicas() == s.replicas()) return Effect().reply(c.replyTo(), StatusReply.success(s));
    int from = s.replicas();
    return Effect().persist(new AppEvent.AppScaled(appId, from, c.replicas(), c.reason(), EventMeta.now(c.who())))
        .thenRun(st -> {
          if (!st.wantedBy().isEmpty()) startReplicas(st, c.who());
          for (int i = st.replicas() + 1; i <= from; i++) {
            refs.vm(st.replicaVmId(i)).tell(new VmEntity.Stop(c.who(), context.getSystem().ignoreRef()));
          }
          notifyServices(st);
        })
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private void startReplicas(AppState s, String who) {
    ActorRef<StatusReply<io.actorvmm.runtime.vm.VmState>> ignore = context.getSystem().ignoreRef();
    Set<String> distinct = s.distinctHosts() ? Set.of(appId) : Set.of();
    for (String vmId : s.replicaVmIds()) {
      AppState.Replica r = s.vms().get(vmId);
      if (r != null && r.phase() != VmPhase.STOPPED && r.phase() != VmPhase.FAILED && r.phase() != VmPhase.DEFINED) {
        continue;
      }
      // messages from one sender to one entity arrive in order: the create lands before the start
      if (r == null) refs.vm(vmId).tell(new VmEntity.Create(s.vm(), appId, distinct, s.rules(), who, ignore));
      refs.vm(vmId).tell(new VmEntity.Start(who, ignore));
    }
    notifyServices(s);
  }

  private ReplyEffect<AppEvent, AppState> onVmChanged(AppState s, VmChanged c) {
    if (!s.exists()) return Effect().noReply();
    AppState.Replica before = s.vms().get(c.vmId());
    if (before != null && AppState.bucket(before.phase()).equals(AppState.bucket(c.phase()))
        && Objects.equals(before.hostId(), c.hostId())) {
      return Effect().noReply();
    }
    return Effect().persist(new AppEvent.AppReplicaChanged(appId, c.vmId(), c.phase(), c.hostId(),
            EventMeta.now(io.actorvmm.runtime.Who.AGENT)))
        .thenRun(this::notifyServices)
        .thenNoReply();
  }

  private void notifyServices(AppState s) {
    for (String service : s.services()) {
      refs.service(service).tell(new ServiceEntity.AppObserved(appId, s.status(), s.running(), s.replicas()));
    }
  }

  @Override
  public EventHandler<AppState, AppEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(AppState::apply);
  }
}
