package io.actorvmm.runtime.auth;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.Rejection;
import io.actorvmm.runtime.CborSerializable;
import io.actorvmm.runtime.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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

/**
 * One API token, named by its id: issued once with the digest of its secret, revoked at most once. Every
 * API request reads it, so a revocation or an expiry holds on every node from the next request on.
 */
public final class TokenEntity extends EventSourcedBehaviorWithEnforcedReplies<TokenEntity.Command, TokenEvent, TokenState> {

  /** The sharding key of tokens. */
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Token");

  /** Every command a token accepts. */
  public interface Command extends CborSerializable {}

  /**
   * Issue the token. Issuing it again with the same owner and digest answers the token as it is (a node
   * registers its data directory's admin token at every start); anything else for an existing id is a conflict.
   */
  public record Issue(String owner, String secretDigest, List<String> roles, Instant expiresAt, String label,
                      String who, ActorRef<StatusReply<TokenState>> replyTo) implements Command {}

  /** Revoke the token. */
  public record Revoke(String who, ActorRef<StatusReply<TokenState>> replyTo) implements Command {}

  /** Read the state. */
  public record Get(ActorRef<TokenState> replyTo) implements Command {}

  private final String tokenId;

  private TokenEntity(String tokenId) {
    super(PersistenceId.of(ENTITY_KEY.name(), tokenId));
    this.tokenId = tokenId;
  }

  /** The behavior of token {@code tokenId}. */
  public static Behavior<Command> create(String tokenId) {
    return new TokenEntity(tokenId);
  }

  /** Starts sharding of tokens on this node. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  @Override
  public TokenState emptyState() {
    return TokenState.empty(tokenId);
  }

  @Override
  public Set<String> tagsFor(TokenEvent event) {
    return Tags.ALL;
  }

  @Override
  public CommandHandlerWithReply<Command, TokenEvent, TokenState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Issue.class, this::onIssue)
        .onCommand(Revoke.class, this::onRevoke)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .build();
  }

  private ReplyEffect<TokenEvent, TokenState> onIssue(TokenState s, Issue c) {
    if (s.exists()) {
      if (s.owner().equals(c.owner()) && Objects.equals(s.secretDigest(), c.secretDigest())) {
        return Effect().reply(c.replyTo(), StatusReply.success(s));
      }
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.conflict("token " + tokenId + " already exists")));
    }
    if (c.secretDigest() == null || c.owner() == null) {
      return Effect().reply(c.replyTo(), StatusReply.error(Rejection.invalid("a token needs an owner and a secret")));
    }
    return Effect().persist(new TokenEvent.TokenIssued(tokenId, c.owner(), c.secretDigest(),
            c.roles() == null ? List.of() : List.copyOf(c.roles()), c.expiresAt(), c.label(), EventMeta.now(c.who())))
        .thenReply(c.replyTo(), StatusReply::success);
  }

  private ReplyEffect<TokenEvent, TokenState> onRevoke(TokenState s, Revoke c) {
    if (!s.exists()) return Effect().reply(c.replyTo(), StatusReply.error(Rejection.notFound("token " + tokenId + " not found")));
    if (s.revokedAt() != null) return Effect().reply(c.replyTo(), StatusReply.success(s));
    return Effect().persist(new TokenEvent.TokenRevoked(tokenId, EventMeta.now(c.who())))
        .thenReply(c.replyTo(), StatusReply::success);
  }

  @Override
  public EventHandler<TokenState, TokenEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(TokenState::apply);
  }
}
