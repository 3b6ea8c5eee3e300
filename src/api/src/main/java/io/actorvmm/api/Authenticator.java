package io.actorvmm.api;

import io.actorvmm.domain.auth.ApiToken;
import io.actorvmm.domain.auth.Grant;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.auth.TokenEntity;
import io.actorvmm.runtime.auth.TokenState;
import io.actorvmm.runtime.auth.UserEntity;
import io.actorvmm.runtime.auth.UserState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Turns a request's {@code Authorization: Bearer} token into a principal. Every request reads the token's
 * entity (and its owner's), so a revocation or an expiry holds on every node from the next request on;
 * nothing is cached. When an entity does not answer within {@link #ENTITY_WAIT} (its shard is moving off a
 * lost node), the node's read side of the journal answers instead, which follows revocations within its
 * refresh interval; only a token neither knows is refused for the cluster's silence (503). The token's text
 * is never logged nor kept: only its id travels on.
 */
final class Authenticator {

  /** The outcome: a principal, or why not (status 401, or 503 when the cluster did not answer), with who it was and the token id when known. */
  record Outcome(Principal principal, int status, String failure, String who, String tokenId) {
    static Outcome refused(String failure, String who, String tokenId) {
      return new Outcome(null, 401, failure, who, tokenId);
    }
  }

  /** Where a caller without a usable token is told to look. */
  static final String HOW = "send Authorization: Bearer <token> (avm login, $AVM_TOKEN, or the admin.token file in a node's data directory)";

  /** How long a request waits for a token's or user's entity before the read side answers. */
  static final Duration ENTITY_WAIT = Duration.ofSeconds(2);

  private final AvmRuntime node;
  private final ClusterSharding sharding;
  private final Duration timeout;

  Authenticator(AvmRuntime node, Duration timeout) {
    this.node = node;
    this.sharding = ClusterSharding.get(node.system());
    this.timeout = timeout.compareTo(ENTITY_WAIT) < 0 ? timeout : ENTITY_WAIT;
  }

  /** Authenticates the value of the Authorization header (empty: none) with the caller's annotation {@code note}. */
  CompletionStage<Outcome> authenticate(Optional<String> authorization, String note) {
    if (authorization.isEmpty()) return done(Outcome.refused("no token: " + HOW, "anonymous", null));
    String value = authorization.get().strip();
    if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return done(Outcome.refused("the Authorization header must be Bearer <token>", "anonymous", null));
    }
    ApiToken token = ApiToken.parse(value.substring(7));
    if (token == null) return done(Outcome.refused("malformed token: " + HOW, "anonymous", null));
    return sharding.entityRefFor(TokenEntity.ENTITY_KEY, token.id()).<TokenState>ask(TokenEntity.Get::new, timeout)
        .handle((s, e) -> e == null ? s : node.journal().inventory().token(token.id()))
        .thenCompose(s -> s != null ? check(token, s, note)
            : localAdmin(token) ? check(token, TokenState.empty(token.id()), note) : done(unanswered(token.id())))
        .exceptionally(e -> unanswered(token.id()));
  }

  private CompletionStage<Outcome> check(ApiToken token, TokenState s, String note) {
    if (!s.exists()) {
      // this node's own admin token, before the cluster confirmed it (a node answers before it has joined)
      if (localAdmin(token)) {
        return done(new Outcome(new Principal(UserState.ADMIN, token.id(), List.of(UserState.ADMIN_GRANT), note), 200,
            null, UserState.ADMIN, token.id()));
      }
      return done(Outcome.refused("unknown token " + token.id(), "anonymous", token.id()));
    }
    if (!token.matches(s.secretDigest())) return done(Outcome.refused("unknown token " + token.id(), "anonymous", token.id()));
    String refusal = s.refusal(Instant.now());
    if (refusal != null) return done(Outcome.refused(refusal, s.owner(), token.id()));
    return sharding.entityRefFor(UserEntity.ENTITY_KEY, s.owner()).<UserState>ask(UserEntity.Get::new, timeout)
        .handle((u, e) -> e == null ? u : node.journal().inventory().user(s.owner()))
        .thenApply(u -> {
          if (u == null) return unanswered(token.id());
          if (!u.exists()) return Outcome.refused("the owner " + s.owner() + " of token " + token.id() + " does not exist",
              s.owner(), token.id());
          List<Grant> grants = u.grants().stream()
              .filter(g -> s.roles().isEmpty() || s.roles().contains(g.role())).toList();
          return new Outcome(new Principal(s.owner(), token.id(), grants, note), 200, null, s.owner(), token.id());
        });
  }

  /** True when {@code token} is the admin token of this node's data directory. */
  private boolean localAdmin(ApiToken token) {
    var admin = node.adminToken();
    return admin != null && admin.token().id().equals(token.id()) && token.matches(admin.token().digest());
  }

  private static Outcome unanswered(String tokenId) {
    return new Outcome(null, 503, "the cluster did not answer in time; try again", "anonymous", tokenId);
  }

  private static CompletionStage<Outcome> done(Outcome o) {
    return CompletableFuture.completedFuture(o);
  }
}
