package io.actorvmm.runtime.auth;

import static io.actorvmm.runtime.RuntimeTestKit.assertRejected;
import static io.actorvmm.runtime.RuntimeTestKit.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.Rejection.Kind;
import io.actorvmm.domain.auth.Grant;
import io.actorvmm.runtime.RuntimeTestKit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user: created once, granted and revoked roles on paths; the built-in admin keeps admin on /. */
class UserEntityTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = RuntimeTestKit.create("UserEntityTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<UserEntity.Command, UserEvent, UserState> user(String name) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), UserEntity.create(name));
  }

  @Test
  void createdThenGrantedAndRevoked() {
    var dana = user("dana" + SEQ.incrementAndGet());
    Grant shop = new Grant("operator", "/services/shop");
    var early = dana.<StatusReply<UserState>>runCommand(r -> new UserEntity.GrantRole(shop, "admin", r));
    assertTrue(early.hasNoEvents());
    assertRejected(early.reply(), Kind.NOT_FOUND, "not found");

    assertInstanceOf(UserEvent.UserCreated.class, dana.<StatusReply<UserState>>runCommand(r -> new UserEntity.Create("admin", r)).event());
    var twice = dana.<StatusReply<UserState>>runCommand(r -> new UserEntity.Create("admin", r));
    assertTrue(twice.hasNoEvents());
    assertRejected(twice.reply(), Kind.CONFLICT, "already exists");

    var granted = dana.<StatusReply<UserState>>runCommand(r -> new UserEntity.GrantRole(shop, "admin", r));
    assertEquals(new UserEvent.RoleGranted(granted.state().name(), shop, ((UserEvent.RoleGranted) granted.event()).meta()),
        granted.event());
    assertEquals(List.of(shop), success(granted.reply()).grants());
    assertTrue(dana.<StatusReply<UserState>>runCommand(r -> new UserEntity.GrantRole(shop, "admin", r)).hasNoEvents());

    var revoked = dana.<StatusReply<UserState>>runCommand(r -> new UserEntity.RevokeRole(shop, "admin", r));
    assertEquals(List.of(), success(revoked.reply()).grants());
    var none = dana.<StatusReply<UserState>>runCommand(r -> new UserEntity.RevokeRole(shop, "admin", r));
    assertTrue(none.hasNoEvents());
    assertRejected(none.reply(), Kind.CONFLICT, "has no grant");
  }

  @Test
  void theBuiltInAdminAlwaysHoldsAdminOnRoot() {
    var admin = user(UserState.ADMIN);
    assertEquals(List.of(UserState.ADMIN_GRANT), admin.getState().grants());
    var r = admin.<StatusReply<UserState>>runCommand(x -> new UserEntity.RevokeRole(UserState.ADMIN_GRANT, "admin", x));
    assertTrue(r.hasNoEvents());
    assertRejected(r.reply(), Kind.CONFLICT, "always holds admin");
  }
}
