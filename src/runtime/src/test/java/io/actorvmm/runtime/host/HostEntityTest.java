package io.actorvmm.runtime.host;

import static io.actorvmm.runtime.RuntimeTestKit.assertRejected;
import static io.actorvmm.runtime.RuntimeTestKit.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Rejection.Kind;
import io.actorvmm.domain.Resources;
import io.actorvmm.runtime.RuntimeTestKit;
import io.actorvmm.runtime.Specs;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.agent.AgentRegistry;
import io.actorvmm.runtime.agent.HostAgent;
import io.actorvmm.runtime.scheduler.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host entity: registration, status, capacity reservations and what it publishes to the scheduler. */
class HostEntityTest {

  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final Duration QUIET = Duration.ofMillis(200);
  private static final Resources SMALL = new Resources(1, 1024, 10, 100);

  private static ActorTestKit testKit;

  private String hostId;
  private HostSpec spec;
  private TestProbe<Scheduler.Command> scheduler;
  private EventSourcedBehaviorTestKit<HostEntity.Command, HostEvent, HostState> host;

  @BeforeAll
  static void startSystem() {
    testKit = RuntimeTestKit.create("HostEntityTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newHost() {
    // a fresh id per test: every test has its own journal and its own actor
    hostId = "h" + SEQ.incrementAndGet();
    spec = Specs.host(hostId, 8, 4096);
    scheduler = testKit.createTestProbe();
    host = EventSourcedBehaviorTestKit.create(testKit.system(), HostEntity.create(hostId, scheduler.ref()));
  }

  private CommandResultWithReply<HostEntity.Command, HostEvent, HostState, StatusReply<HostState>> register(
      HostSpec s, String node) {
    return host.runCommand(r -> new HostEntity.Register(s, node, Who.AGENT, r));
  }

  private CommandResultWithReply<HostEntity.Command, HostEvent, HostState, StatusReply<HostState>> reserve(
      String vmId, String appId, Resources demand, Set<String> distinctFromApps) {
    return host.runCommand(r -> new HostEntity.Reserve(vmId, appId, demand, distinctFromApps, "alice", r));
  }

  private void registered() {
    success(register(spec, "node-a").reply());
    scheduler.expectMessageClass(Scheduler.HostUpdated.class);
  }

  private Scheduler.HostUpdated published() {
    return scheduler.expectMessageClass(Scheduler.HostUpdated.class);
  }

  @Test
  void registerRecordsTheSpecAndPublishesTheHost() {
    var result = register(spec, "node-a");

    HostState state = success(result.reply());
    assertEquals(state, result.state());
    var event = result.eventOfType(HostEvent.HostRegistered.class);
    assertEquals(hostId, event.hostId());
    assertEquals(spec, event.spec());
    assertEquals("node-a", event.node());
    assertEquals(Who.AGENT, event.meta().who());
    assertTrue(state.registered());
    assertEquals(HostStatus.UP, state.status());
    assertEquals("node-a", state.node());
    assertEquals(spec.capacity(), state.free());

    var update = published();
    assertEquals(hostId, update.host().hostId());
    assertEquals(HostStatus.UP, update.host().status());
    assertEquals(Resources.ZERO, update.host().used());
  }

  @Test
  void invalidRegistrationsAreRefusedAndPersistNothing() {
    var noRuntime = new HostSpec(hostId, spec.capacity(), List.of(), "lab", 1, null);
    var r1 = register(noRuntime, "node-a");
    assertRejected(r1.reply(), Kind.INVALID, "at least one runtime");
    assertTrue(r1.hasNoEvents());

    var otherHost = Specs.host("someone-else", 8, 4096);
    var r2 = register(otherHost, "node-a");
    assertRejected(r2.reply(), Kind.INVALID, "spec names host someone-else");
    assertTrue(r2.hasNoEvents());
    assertFalse(r2.state().registered());
    scheduler.expectNoMessage(QUIET);
  }

  @Test
  void identicalReRegistrationPersistsNothingButMovingNodesDoes() {
    registered();

    var again = register(spec, "node-a");
    assertTrue(again.hasNoEvents());
    assertEquals(spec, success(again.reply()).spec());
    published();  // the scheduler's view is refreshed all the same

    var moved = register(spec, "node-b");
    assertEquals("node-b", moved.eventOfType(HostEvent.HostRegistered.class).node());
    assertEquals("node-b", moved.state().node());
    published();
  }

  @Test
  void reservationsStopAtCapacity() {
    registered();
    // 8 cores and 4096 MiB: memory runs out after four 1024 MiB VMs
    for (int i = 1; i <= 4; i++) {
      var r = reserve("vm-" + i, "app", SMALL, Set.of());
      var event = r.eventOfType(HostEvent.CapacityReserved.class);
      assertEquals("vm-" + i, event.vmId());
      assertEquals(SMALL, event.resources());
      assertEquals(i, r.state().reservations().size());
      assertTrue(spec.capacity().fits(r.state().used()), "used never exceeds capacity");
      assertEquals(new Resources(i, 1024L * i, 10L * i, 100L * i), published().host().used());
    }

    var full = reserve("vm-5", "app", SMALL, Set.of());
    assertRejected(full.reply(), Kind.CONFLICT, "host " + hostId + " lacks memory");
    assertTrue(full.hasNoEvents());
    assertFalse(full.state().reservations().containsKey("vm-5"));
    assertEquals(4096, full.state().used().memoryMiB());
    scheduler.expectNoMessage(QUIET);

    var tooManyCores = reserve("vm-6", "app", new Resources(9, 0, 0, 0), Set.of());
    assertRejected(tooManyCores.reply(), Kind.CONFLICT, "lacks cpu");
    assertTrue(tooManyCores.hasNoEvents());
  }

  @Test
  void aBatchReservesWhatFitsInOneWriteAndNamesEveryRefusal() {
    registered();
    reserve("web-1", "web", SMALL, Set.of("web"));
    published();
    // 4096 MiB: web-1 holds 1024; the batch asks for five more of 1024
    List<HostEntity.ReserveItem> items = List.of(
        new HostEntity.ReserveItem("a", "api", SMALL, Set.of(), 0),
        new HostEntity.ReserveItem("web-2", "web", SMALL, Set.of("web"), 0),
        new HostEntity.ReserveItem("b", "api", SMALL, Set.of(), 0),
        new HostEntity.ReserveItem("c", "api", SMALL, Set.of(), 2),
        new HostEntity.ReserveItem("d", "db", SMALL, Set.of(), 0),
        new HostEntity.ReserveItem("e", "db", SMALL, Set.of(), 0),
        new HostEntity.ReserveItem("web-1", "web", SMALL, Set.of("web"), 0));
    var r = host.<HostEntity.BatchReserved>runCommand(rep -> new HostEntity.ReserveBatch(7, items, "alice", rep));
    // a, b and d fit; web-2 breaks anti-affinity; c exceeds api's max of 2 per host; e no longer fits; web-1 was there
    assertEquals(List.of("a", "b", "d"), r.events().stream().map(e -> ((HostEvent.CapacityReserved) e).vmId()).toList());
    assertEquals(Map.of("web-2", "host " + hostId + " already runs 1 replica of web",
        "c", "host " + hostId + " already runs the maximum of 2 of api",
        "e", "host " + hostId + " lacks memory"), r.reply().refused());
    assertEquals(7, r.reply().batchId());
    assertEquals(4, r.reply().host().vms());
    assertEquals(Map.of("web", 1, "api", 2, "db", 1), r.reply().host().apps());
    assertEquals(new Resources(4, 4096, 40, 400), r.reply().host().used());
    assertEquals(r.state().candidate(), r.reply().host());
    var update = published();
    assertEquals(7, update.batch());
    assertEquals(r.reply().revision(), update.revision());

    // the same batch again changes nothing: reserved items are idempotent, the rest still refused
    var again = host.<HostEntity.BatchReserved>runCommand(rep -> new HostEntity.ReserveBatch(8, items, "alice", rep));
    assertTrue(again.hasNoEvents());
    assertEquals(Set.of("web-2", "c", "e"), again.reply().refused().keySet());
  }

  @Test
  void aBatchOnAHostInMaintenanceReservesNothing() {
    registered();
    host.<StatusReply<HostState>>runCommand(rep -> new HostEntity.MarkDown("lost", "bob", rep));
    published();
    var r = host.<HostEntity.BatchReserved>runCommand(rep -> new HostEntity.ReserveBatch(1,
        List.of(new HostEntity.ReserveItem("a", null, SMALL, Set.of(), 0)), "alice", rep));
    assertTrue(r.hasNoEvents());
    assertEquals(Map.of("a", "host " + hostId + " is down"), r.reply().refused());
  }

  @Test
  void reservingTheSameVmTwiceIsIdempotent() {
    registered();
    reserve("vm-1", "web", SMALL, Set.of());
    published();

    var again = reserve("vm-1", "web", SMALL, Set.of());
    assertTrue(again.hasNoEvents());
    assertEquals(1, success(again.reply()).reservations().size());
    assertEquals(SMALL, again.state().used());
  }

  @Test
  void antiAffinityRefusesASecondReplicaOfTheSameApp() {
    registered();
    reserve("web-1", "web", SMALL, Set.of("web"));
    published();

    var clash = reserve("web-2", "web", SMALL, Set.of("web"));
    assertRejected(clash.reply(), Kind.CONFLICT, "host " + hostId + " already runs 1 replica of web");
    assertTrue(clash.hasNoEvents());
    assertEquals(Set.of("web-1"), clash.state().reservations().keySet());

    // another application's VM that only stays apart from db fits next to web-1
    var other = reserve("api-1", "api", SMALL, Set.of("db"));
    assertEquals("api", other.eventOfType(HostEvent.CapacityReserved.class).appId());
    published();
  }

  @Test
  void aVmWithoutApplicationIsRecordedWithAnEmptyAppId() {
    registered();
    var r = reserve("solo", null, SMALL, Set.of());
    assertEquals("", r.eventOfType(HostEvent.CapacityReserved.class).appId());
    assertEquals("", r.state().reservations().get("solo").appId());
  }

  @Test
  void releaseFreesTheCapacityAndIsIdempotent() {
    registered();
    reserve("vm-1", "app", SMALL, Set.of());
    published();

    var released = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Release("vm-1", "vm stopped", "bob", r));
    var event = released.eventOfType(HostEvent.CapacityReleased.class);
    assertEquals("vm-1", event.vmId());
    assertEquals("vm stopped", event.reason());
    assertEquals("bob", event.meta().who());
    assertEquals(Map.of(), released.state().reservations());
    assertEquals(spec.capacity(), success(released.reply()).free());
    assertEquals(Resources.ZERO, published().host().used());

    var again = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Release("vm-1", "again", "bob", r));
    assertTrue(again.hasNoEvents());
    success(again.reply());
  }

  @Test
  void downHostRefusesReservationsUntilItsHeartbeatBringsItBack() {
    registered();
    reserve("vm-1", "app", SMALL, Set.of());
    published();

    var down = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.MarkDown("node left", Who.MONITOR, r));
    var changed = down.eventOfType(HostEvent.HostStatusChanged.class);
    assertEquals(HostStatus.DOWN, changed.status());
    assertEquals("node left", changed.reason());
    assertEquals(HostStatus.DOWN, down.state().status());
    assertEquals("node left", down.state().statusReason());
    assertEquals(HostStatus.DOWN, published().host().status());

    var refused = reserve("vm-2", "app", SMALL, Set.of());
    assertRejected(refused.reply(), Kind.CONFLICT, "host " + hostId + " is down");
    assertTrue(refused.hasNoEvents());
    // a VM it already holds is still answered as reserved: the reservation exists
    assertTrue(reserve("vm-1", "app", SMALL, Set.of()).hasNoEvents());

    var downAgain = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.MarkDown("again", Who.MONITOR, r));
    assertTrue(downAgain.hasNoEvents());
    assertEquals("node left", success(downAgain.reply()).statusReason());

    var back = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Heartbeat("node-a", r));
    var up = back.eventOfType(HostEvent.HostStatusChanged.class);
    assertEquals(HostStatus.UP, up.status());
    assertEquals(Who.AGENT, up.meta().who());
    assertEquals(HostStatus.UP, back.state().status());
    assertEquals(HostStatus.UP, published().host().status());

    var nowFits = reserve("vm-2", "app", SMALL, Set.of());
    assertEquals(2, nowFits.state().reservations().size());
  }

  @Test
  void heartbeatOfAnUpHostPersistsNothingButPublishes() {
    registered();
    var beat = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Heartbeat("node-a", r));
    assertTrue(beat.hasNoEvents());
    assertEquals(HostStatus.UP, success(beat.reply()).status());
    published();
  }

  @Test
  void anUnregisteredHostIsNotFound() {
    var beat = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Heartbeat("node-a", r));
    assertRejected(beat.reply(), Kind.NOT_FOUND, "host " + hostId);
    assertTrue(beat.hasNoEvents());

    var down = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.MarkDown("x", Who.MONITOR, r));
    assertRejected(down.reply(), Kind.NOT_FOUND, "host " + hostId + " not found");
    assertTrue(down.hasNoEvents());

    var res = reserve("vm-1", "app", SMALL, Set.of());
    assertRejected(res.reply(), Kind.NOT_FOUND, "host " + hostId + " not found");
    assertTrue(res.hasNoEvents());

    // nothing to publish for a host that never registered
    host.runCommand(HostEntity.Publish.INSTANCE);
    scheduler.expectNoMessage(QUIET);
  }

  @Test
  void aHostCannotShrinkBelowWhatItsVmsHold() {
    registered();
    reserve("vm-1", "app", new Resources(4, 2048, 10, 100), Set.of());
    published();

    var shrunk = register(Specs.host(hostId, 2, 4096), "node-a");
    assertRejected(shrunk.reply(), Kind.CONFLICT, "cannot shrink");
    assertTrue(shrunk.hasNoEvents());
    assertEquals(spec, shrunk.state().spec());
  }

  @Test
  void publishAndGetShowTheCurrentView() {
    registered();
    reserve("web-1", "web", SMALL, Set.of());
    published();

    var pub = host.runCommand(HostEntity.Publish.INSTANCE);
    assertTrue(pub.hasNoEvents());
    var update = published();
    assertEquals(Map.of("web", 1), update.host().apps());
    assertEquals(1, update.host().vms());
    assertEquals(SMALL, update.host().used());

    var get = host.<HostState>runCommand(HostEntity.Get::new);
    assertEquals(get.state(), get.reply());
    assertTrue(get.hasNoEvents());
  }

  @Test
  void toAgentPassesTheCommandToTheLocalControlProgram() {
    var unregistered = host.<StatusReply<HostState>>runCommand(
        r -> new HostEntity.ToAgent(new HostAgent.StopVm("vm-1"), r));
    assertRejected(unregistered.reply(), Kind.UNAVAILABLE, "control program of host " + hostId + " is not reachable");

    registered();
    TestProbe<HostAgent.Command> agent = testKit.createTestProbe();
    AgentRegistry.get(testKit.system()).register(hostId, agent.ref());
    try {
      var provision = new HostAgent.Provision("vm-1", Specs.vm(1, 512));
      var sent = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.ToAgent(provision, r));
      success(sent.reply());
      assertTrue(sent.hasNoEvents());
      assertEquals(provision, agent.expectMessageClass(HostAgent.Provision.class));

      host.<StatusReply<HostState>>runCommand(r -> new HostEntity.MarkDown("crashed", Who.AGENT, r));
      published();
      var whileDown = host.<StatusReply<HostState>>runCommand(
          r -> new HostEntity.ToAgent(new HostAgent.StopVm("vm-1"), r));
      assertRejected(whileDown.reply(), Kind.UNAVAILABLE, "not reachable");
      agent.expectNoMessage(QUIET);
    } finally {
      AgentRegistry.get(testKit.system()).unregister(hostId);
    }
  }

  @Test
  void aMoveStartsAVmOnlyWhereItHoldsAReservation() {
    registered();
    TestProbe<HostAgent.Command> agent = testKit.createTestProbe();
    AgentRegistry.get(testKit.system()).register(hostId, agent.ref());
    try {
      var start = new HostAgent.MoveOp("vm-1", 1, HostAgent.MoveOpKind.START, null, null, null);
      var refused = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.ToAgent(start, r));
      assertRejected(refused.reply(), Kind.CONFLICT, "vm vm-1 is no longer assigned to host " + hostId);
      agent.expectNoMessage(QUIET);
      // other steps (stop, export, clean-up) are passed on: they never start it
      var stop = new HostAgent.MoveOp("vm-1", 1, HostAgent.MoveOpKind.STOP, null, null, null);
      success(host.<StatusReply<HostState>>runCommand(r -> new HostEntity.ToAgent(stop, r)).reply());
      agent.expectMessage(stop);
      reserve("vm-1", "web", SMALL, Set.of());
      success(host.<StatusReply<HostState>>runCommand(r -> new HostEntity.ToAgent(start, r)).reply());
      agent.expectMessage(start);
    } finally {
      AgentRegistry.get(testKit.system()).unregister(hostId);
    }
  }

  @Test
  void recoveryRebuildsReservationsAndStatus() {
    registered();
    reserve("vm-1", "web", SMALL, Set.of());
    reserve("vm-2", "db", SMALL, Set.of());
    host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Release("vm-1", "stopped", "bob", r));
    HostState before = host.getState();

    var restarted = host.restart();
    assertEquals(before, restarted.state());
    assertEquals(Set.of("vm-2"), restarted.state().reservations().keySet());
    assertSame(HostStatus.UP, restarted.state().status());
    assertInstanceOf(HostState.class, host.getState());
  }

  // ---- drain (the moves themselves need a cluster: see the integration tests)

  @Test
  void drainPutsTheHostIntoMaintenanceWhichReRegistrationKeepsAndUndrainEnds() {
    registered();
    var drained = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Drain(null, false, false, "ann", r));
    HostState s = success(drained.reply());
    assertEquals(HostStatus.MAINTENANCE, s.status());
    assertTrue(s.draining());
    assertEquals("ann", drained.eventOfType(HostEvent.HostDrainChanged.class).meta().who());
    // nothing new is reserved on a host in maintenance
    var refused = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Reserve("v1", null, SMALL, Set.of(),
        "ann", r));
    assertRejected(refused.reply(), Kind.CONFLICT, "is in maintenance");
    // the control program registering again does not end the drain
    var again = register(Specs.host(hostId, 16, 4096), "node-a");
    assertEquals(HostStatus.MAINTENANCE, success(again.reply()).status());
    var undrained = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Undrain("ann", r));
    assertEquals(HostStatus.UP, success(undrained.reply()).status());
    assertTrue(!undrained.state().draining());
    var twice = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Undrain("ann", r));
    assertRejected(twice.reply(), Kind.CONFLICT, "is not drained");
    assertTrue(twice.hasNoEvents());
  }

  @Test
  void drainOfAnUnknownOrDownHostOrOntoItselfIsRefused() {
    var unknown = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Drain(null, false, false, "ann", r));
    assertRejected(unknown.reply(), Kind.NOT_FOUND, "not found");
    registered();
    var self = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Drain(hostId, false, true, "ann", r));
    assertRejected(self.reply(), Kind.INVALID, "onto itself");
    assertTrue(self.hasNoEvents());
    host.<StatusReply<HostState>>runCommand(r -> new HostEntity.MarkDown("gone", Who.MONITOR, r));
    var down = host.<StatusReply<HostState>>runCommand(r -> new HostEntity.Drain(null, false, false, "ann", r));
    assertRejected(down.reply(), Kind.CONFLICT, "is down");
    assertTrue(down.hasNoEvents());
  }
}
