package io.actorvmm.runtime.auth;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.Rejection;
import io.actorvmm.domain.auth.Grant;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.Tags;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/** One user, named by its name: created once, then granted and revoked roles on paths. */
public final class UserEntity extends EventSourcedBehaviorWithEnforcedReplies<UserEntity.Command, UserEvent, UserState> {

  /** The sharding key of users. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "User");

  /** Every command a user accepts. */
  public interface Command extends CborSerializable {}

  /** Create the user. */
  public record Create(String who, ActorRef<StatusReply<UserState>> replyTo) implements Command {}

  /** Grant a role on a path (granting one the user holds changes nothing). */
  public record GrantRole(Grant grant, String who, ActorRef<StatusReply<UserState>> replyTo) implements Command {}

  /** Take back a grant. */
  public record RevokeRole(Grant grant, String who, ActorRef<StatusReply<UserState>> replyTo) implements Command {}

  /** Read the state. */
  public record Get(ActorRef<UserState> replyTo) implements Command {}

  private final String name;

  private UserEntity(String name) {
    super(PersistenceId.of(ENTITY_KEY.name(), name));
    this.name = name;
  }

  /** The behavior of user {@code name}. */
  public static Behavior<Command> create(String name) {
    return new UserEntity(name);
  }

  /** Starts sharding of users on this node. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  @Override
  public UserState emptyState() {
    return UserState.empty(name);
  }

  @Override
  public Set<String> tagsFor(UserEvent event) {
    return Tags.ALL;
  }

  @Override
  public CommandHandlerWithReply<Command, UserEvent, UserState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(GrantRole.class, this::onGrant)
        .onCommand(RevokeRole.class, this::onRevoke)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .build();
  }

  private ReplyEffect<UserEvent, UserState> onCreate(UserState s, Create c) {
    if (s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("user " + name + " already exists")));
    return Effect().persist(new UserEvent.UserCreated(name, EventMeta.now(c.who()))).thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<UserEvent, UserState> onGrant(UserState s, GrantRole c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("user " + name + " not found")));
    if (s.grants().contains(c.grant())) return Effect().reply(c.replyTo(), StatusReply.success(s));
    return Effect().persist(new UserEvent.RoleGranted(name, c.grant(), EventMeta.now(c.who())))
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<UserEvent, UserState> onRevoke(UserState s, RevokeRole c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("user " + name + " not found")));
    if (UserState.ADMIN.equals(name) && UserState.ADMIN_GRANT.equals(c.grant())) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("the built-in admin always holds admin on /")));
    }
    if (!s.grants().contains(c.grant())) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("user " + name + " has no grant " + c.grant())));
    }
    return Effect().persist(new UserEvent.RoleRevoked(name, c.grant(), EventMeta.now(c.who())))
        .thenReply(c.replyTo(), StatusReply::success);
  }

  @Override
  public EventHandler<UserState, UserEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(UserState::apply);
  }
}
