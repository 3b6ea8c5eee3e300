package io.actorvmm.runtime.auth;

import static io.actorvmm.runtime.RuntimeTestKit.assertRejected;
import static io.actorvmm.runtime.RuntimeTestKit.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.Rejection.Kind;
import io.actorvmm.domain.auth.ApiToken;
import io.actorvmm.runtime.RuntimeTestKit;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An API token: issued with its digest only, idempotent for its own digest, revoked once, refused once expired. */
class TokenEntityTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static ActorTestKit testKit;
  private EventSourcedBehaviorTestKit<TokenEntity.Command, TokenEvent, TokenState> token;
  private final ApiToken secret = ApiToken.generate();

  @BeforeAll
  static void startSystem() {
    testKit = RuntimeTestKit.create("TokenEntityTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newToken() {
    token = EventSourcedBehaviorTestKit.create(testKit.system(), TokenEntity.create("t" + SEQ.incrementAndGet()));
  }

  @Test
  void issuedWithTheDigestOnlyThenRevoked() {
    var issued = token.<org.apache.pekko.pattern.StatusReply<TokenState>>runCommand(r -> new TokenEntity.Issue("dana",
        secret.digest(), List.of("viewer"), null, "laptop", "admin (token 0123456789abcdef)", r));
    TokenEvent.TokenIssued e = assertInstanceOf(TokenEvent.TokenIssued.class, issued.event());
    assertEquals(secret.digest(), e.secretDigest());
    assertTrue(!e.toString().contains(secret.secret()), "the secret is in no event");
    assertEquals("admin", e.meta().who());
    assertEquals("0123456789abcdef", e.meta().token());
    TokenState s = success(issued.reply());
    assertEquals("dana", s.owner());
    assertNull(s.refusal(Instant.now()));

    var again = token.<org.apache.pekko.pattern.StatusReply<TokenState>>runCommand(r -> new TokenEntity.Issue("dana",
        secret.digest(), List.of("viewer"), null, "laptop", "admin", r));
    assertTrue(again.hasNoEvents(), "issuing the same token again changes nothing");
    var clash = token.<org.apache.pekko.pattern.StatusReply<TokenState>>runCommand(r -> new TokenEntity.Issue("erin",
        secret.digest(), List.of(), null, null, "admin", r));
    assertTrue(clash.hasNoEvents());
    assertRejected(clash.reply(), Kind.CONFLICT, "already exists");

    var revoked = token.<org.apache.pekko.pattern.StatusReply<TokenState>>runCommand(r -> new TokenEntity.Revoke("admin", r));
    assertInstanceOf(TokenEvent.TokenRevoked.class, revoked.event());
    assertNotNull(success(revoked.reply()).refusal(Instant.now()));
    assertTrue(token.<org.apache.pekko.pattern.StatusReply<TokenState>>runCommand(r -> new TokenEntity.Revoke("admin", r))
        .hasNoEvents(), "a second revocation changes nothing");
  }

  @Test
  void anExpiredTokenIsRefusedAndAnUnknownOneCannotBeRevoked() {
    Instant soon = Instant.now().plusSeconds(60);
    TokenState s = success(token.<org.apache.pekko.pattern.StatusReply<TokenState>>runCommand(r -> new TokenEntity.Issue(
        "dana", secret.digest(), List.of(), soon, null, "admin", r)).reply());
    assertNull(s.refusal(soon.minusSeconds(1)));
    assertTrue(s.refusal(soon).contains("expired"), s.refusal(soon));

    var other = EventSourcedBehaviorTestKit.<TokenEntity.Command, TokenEvent, TokenState>create(testKit.system(),
        TokenEntity.create("unknown" + SEQ.incrementAndGet()));
    var r = other.<org.apache.pekko.pattern.StatusReply<TokenState>>runCommand(x -> new TokenEntity.Revoke("admin", x));
    assertTrue(r.hasNoEvents());
    assertRejected(r.reply(), Kind.NOT_FOUND, "not found");
  }
}
