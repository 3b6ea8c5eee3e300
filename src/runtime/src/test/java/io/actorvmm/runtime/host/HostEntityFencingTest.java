package io.actorvmm.runtime.host;

import static io.actorvmm.runtime.RuntimeTestKit.assertRejected;
import static io.actorvmm.runtime.RuntimeTestKit.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.Fencing;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Rejection.Kind;
import io.actorvmm.runtime.RuntimeTestKit;
import io.actorvmm.runtime.Specs;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.scheduler.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a lost host's failover waits for: its watchdog's fence timeout, or an operator's confirmation. */
class HostEntityFencingTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static ActorTestKit testKit;

  @BeforeAll
  static void startSystem() {
    testKit = RuntimeTestKit.create("HostEntityFencingTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<HostEntity.Command, HostEvent, HostState> registered(String hostId,
                                                                                          Fencing fencing) {
    TestProbe<Scheduler.Command> scheduler = testKit.createTestProbe();
    var host = EventSourcedBehaviorTestKit.<HostEntity.Command, HostEvent, HostState>create(testKit.system(),
        HostEntity.create(hostId, scheduler.ref()));
    HostSpec spec = Specs.host(hostId, 8, 4096).withFencing(fencing);
    success(host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Register(spec, "node-a", Who.AGENT, r)).reply());
    return host;
  }

  @Test
  void aWatchdogFencedHostWaitsTheFenceTimeoutAndTheMarginFromWhenItWasLost() {
    String id = "fw" + SEQ.incrementAndGet();
    var host = registered(id, Fencing.watchdog(Duration.ofSeconds(5)));
    Instant lost = Instant.parse("2026-12-03T10:00:00Z");
    var down = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.MarkDown("node was downed", Who.MONITOR,
        lost, r));
    assertEquals(2, down.events().size());
    var wait = (HostEvent.HostFenceWait) down.events().get(1);
    // 5 s fence timeout + the 2 s default margin
    assertEquals(Instant.parse("2026-12-03T10:00:07Z"), wait.until());
    assertFalse(wait.operator());
    assertTrue(wait.reason().contains("its watchdog stops its VMs 5000 ms after its last renewal"), wait.reason());
    HostState s = success(down.reply());
    assertEquals(HostStatus.DOWN, s.status());
    assertTrue(s.fenceWait().holds(Instant.parse("2026-12-03T10:00:06.999Z")));
    assertFalse(s.fenceWait().holds(Instant.parse("2026-12-03T10:00:07Z")));
    // not an operator's to confirm
    assertRejected(host.<StatusReply<HostState>>runCommand(r -> new HostEntity.ConfirmDead("alice", r)).reply(),
        Kind.CONFLICT, "host " + id + " is not waiting for a confirmation that it is dead (status down)");
  }

  @Test
  void aHostThatCannotBeFencedWaitsForAnOperatorWhoseConfirmationIsRecorded() {
    String id = "fm" + SEQ.incrementAndGet();
    var host = registered(id, Fencing.manual());
    var down = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.MarkDown("node left", Who.MONITOR, r));
    assertEquals(2, down.events().size());
    var wait = (HostEvent.HostFenceWait) down.events().get(1);
    assertTrue(wait.operator());
    assertTrue(wait.reason().contains("avm host confirm-dead " + id), wait.reason());
    assertTrue(success(down.reply()).fenceWait().holds(Instant.now().plusSeconds(3600)));

    var confirmed = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.ConfirmDead("alice", r));
    var end = confirmed.eventOfType(HostEvent.HostFenceWait.class);
    assertFalse(end.operator());
    assertEquals("alice", end.meta().who());
    assertEquals("confirmed dead by alice", end.reason());
    assertFalse(success(confirmed.reply()).fenceWait().holds(Instant.now()));

    // registered again: the wait is over
    var back = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Register(
        Specs.host(id, 8, 4096).withFencing(Fencing.manual()), "node-b", Who.AGENT, r));
    assertNull(success(back.reply()).fenceWait());
  }

  @Test
  void aHostWithoutFencingFailsOverOnMembershipAloneAndAnUpHostCannotBeConfirmedDead() {
    String id = "fn" + SEQ.incrementAndGet();
    var host = registered(id, Fencing.NONE);
    assertRejected(host.<StatusReply<HostState>>runCommand(r -> new HostEntity.ConfirmDead("alice", r)).reply(),
        Kind.CONFLICT, "host " + id + " is not waiting for a confirmation that it is dead (status up)");
    var down = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.MarkDown("node left", Who.MONITOR, r));
    assertEquals(1, down.events().size());
    assertNull(success(down.reply()).fenceWait());
  }

  @Test
  void aFenceTimeoutOutsideItsBoundsIsRefusedAtRegistration() {
    String id = "fb" + SEQ.incrementAndGet();
    TestProbe<Scheduler.Command> scheduler = testKit.createTestProbe();
    var host = EventSourcedBehaviorTestKit.<HostEntity.Command, HostEvent, HostState>create(testKit.system(),
        HostEntity.create(id, scheduler.ref()));
    HostSpec spec = Specs.host(id, 8, 4096).withFencing(Fencing.watchdog(Duration.ofMillis(500)));
    var refused = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Register(spec, "node-a", Who.AGENT, r));
    assertRejected(refused.reply(), Kind.INVALID, "fence timeout must be from 2 s to 5 min, not 500 ms");
    assertTrue(refused.hasNoEvents());
  }
}
