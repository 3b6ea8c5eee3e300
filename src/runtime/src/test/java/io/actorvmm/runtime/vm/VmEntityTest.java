package io.actorvmm.runtime.vm;

import static io.actorvmm.runtime.RuntimeTestKit.assertRejected;
import static io.actorvmm.runtime.RuntimeTestKit.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.Rejection.Kind;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.HostVerdict;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.runtime.ProbeRefs;
import io.actorvmm.runtime.RuntimeTestKit;
import io.actorvmm.runtime.Specs;
import io.actorvmm.runtime.Who;
import io.actorvmm.runtime.agent.HostAgent;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.scheduler.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VM entity: creation, placement through the scheduler, the agent's reports, stop, delete and recovery. */
class VmEntityTest {

  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final Duration QUIET = Duration.ofMillis(200);
  private static final VmSpec SPEC = Specs.vm(2, 2048);

  private static ActorTestKit testKit;

  private String vmId;
  private TestProbe<Scheduler.Command> scheduler;
  private ProbeRefs refs;
  private EventSourcedBehaviorTestKit<VmEntity.Command, VmEvent, VmState> vm;

  @BeforeAll
  static void startSystem() {
    testKit = RuntimeTestKit.create("VmEntityTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newVm() {
    vmId = "vm-" + SEQ.incrementAndGet();
    scheduler = testKit.createTestProbe();
    refs = new ProbeRefs(testKit);
    vm = EventSourcedBehaviorTestKit.create(testKit.system(), VmEntity.create(vmId, scheduler.ref(), refs));
  }

  // ---- helpers

  private CommandResultWithReply<VmEntity.Command, VmEvent, VmState, StatusReply<VmState>> create(String appId,
                                                                                                  Set<String> apart) {
    return vm.runCommand(r -> new VmEntity.Create(SPEC, appId, apart, "alice", r));
  }

  private static PlacementDecision placedOn(String vmId, String hostId) {
    return new PlacementDecision(vmId, hostId, "placed on " + hostId + ": 2 hosts, 2 passed",
        List.of(new HostVerdict(hostId, HostVerdict.Outcome.CHOSEN, null, null, 50.0),
            new HostVerdict("other", HostVerdict.Outcome.PASSED, null, null, 10.0)));
  }

  private static PlacementDecision noHostFits(String vmId) {
    return new PlacementDecision(vmId, null, "no host fits: 1 host, 1 lacked memory",
        List.of(new HostVerdict("h1", HostVerdict.Outcome.REJECTED, "capacity",
            "lacked memory (needs 2048 MiB, 1024 free)", 0)));
  }

  /** Sends Start; the reply comes only after the scheduler answers, so the command runs on another thread. */
  private CompletableFuture<CommandResultWithReply<VmEntity.Command, VmEvent, VmState, StatusReply<VmState>>> startAsync() {
    return CompletableFuture.supplyAsync(() -> vm.runCommand(r -> new VmEntity.Start("alice", r)));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS);
  }

  /** Starts the VM and lets the scheduler place it on {@code hostId}; answers the provisioning on that host. */
  private CommandResultWithReply<VmEntity.Command, VmEvent, VmState, StatusReply<VmState>> startOn(String hostId)
      throws Exception {
    var started = startAsync();
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);
    place.replyTo().tell(new Scheduler.PlaceResult(placedOn(vmId, hostId), true));
    var result = await(started);
    expectToAgent(hostId, HostAgent.Provision.class);
    return result;
  }

  /** Expects a command for the host's control program, answers it as delivered and returns it. */
  private <T extends HostAgent.Command> T expectToAgent(String hostId, Class<T> type) {
    return expectToAgent(hostId, type, Duration.ofSeconds(3));
  }

  /** Like {@link #expectToAgent(String, Class)}, waiting up to {@code within}. */
  private <T extends HostAgent.Command> T expectToAgent(String hostId, Class<T> type, Duration within) {
    var toAgent = refs.hostProbe(hostId).expectMessageClass(HostEntity.ToAgent.class, within);
    toAgent.replyTo().tell(StatusReply.success(Specs.hostState(Specs.host(hostId, 8, 8192), SPEC.demand(),
        vmId, "")));
    return assertInstanceOf(type, toAgent.command());
  }

  private CommandResult<VmEntity.Command, VmEvent, VmState> report(String hostId, VmPhase phase, int percent) {
    return vm.runCommand(new VmEntity.AgentReport(hostId, phase, percent, null));
  }

  private VmState awaitState(Predicate<VmState> condition) {
    return scheduler.awaitAssert(Duration.ofSeconds(3), () -> {
      VmState s = vm.getState();
      assertTrue(condition.test(s), () -> "state not reached: " + s);
      return s;
    });
  }

  private void running(String hostId) throws Exception {
    create(null, Set.of());
    startOn(hostId);
    report(hostId, VmPhase.RUNNING, 100);
  }

  // ---- create

  @Test
  void createDefinesTheVm() {
    var result = create(null, Set.of());

    VmState state = success(result.reply());
    var event = result.eventOfType(VmEvent.VmCreated.class);
    assertEquals(vmId, event.vmId());
    assertEquals(SPEC, event.spec());
    assertNull(event.appId());
    assertEquals("alice", event.meta().who());
    assertEquals(VmPhase.DEFINED, state.phase());
    assertEquals(SPEC, state.spec());
    assertNull(state.hostId());
    assertEquals(state, result.state());
    // a VM outside any application notifies nobody
    assertEquals(Set.of(), refs.appIds());
  }

  @Test
  void invalidOrDuplicateCreateIsRefused() {
    var badSpec = vm.<StatusReply<VmState>>runCommand(
        r -> new VmEntity.Create(Specs.vm(0, 2048), null, Set.of(), "alice", r));
    assertRejected(badSpec.reply(), Kind.INVALID, "cpu must be at least 1");
    assertTrue(badSpec.hasNoEvents());

    var noSpec = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Create(null, null, Set.of(), "alice", r));
    assertRejected(noSpec.reply(), Kind.INVALID, "spec is missing");
    assertTrue(noSpec.hasNoEvents());

    create(null, Set.of());
    var again = create(null, Set.of());
    assertRejected(again.reply(), Kind.CONFLICT, "vm " + vmId + " already exists");
    assertTrue(again.hasNoEvents());
  }

  @Test
  void unknownVmIsNotFound() {
    var start = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Start("alice", r));
    assertRejected(start.reply(), Kind.NOT_FOUND, "vm " + vmId + " not found");
    assertTrue(start.hasNoEvents());
    var stop = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Stop("alice", r));
    assertRejected(stop.reply(), Kind.NOT_FOUND, "vm " + vmId + " not found");
    assertTrue(stop.hasNoEvents());
    var delete = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Delete("alice", r));
    assertRejected(delete.reply(), Kind.NOT_FOUND, "vm " + vmId + " not found");
    assertTrue(delete.hasNoEvents());
    // a report for a VM that does not exist is ignored
    assertTrue(report("h1", VmPhase.RUNNING, 100).hasNoEvents());
    scheduler.expectNoMessage(QUIET);
  }

  // ---- start and placement

  @Test
  void startAsksTheSchedulerThenProvisionsOnTheChosenHost() throws Exception {
    create("web", Set.of("web"));
    refs.appProbe("web").expectMessage(new AppEntity.VmChanged(vmId, VmPhase.DEFINED, null));

    var started = startAsync();
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);
    assertEquals(vmId, place.vmId());
    assertEquals(SPEC, place.spec());
    assertEquals("web", place.appId());
    assertEquals(Set.of("web"), place.distinctFromApps());
    assertEquals("alice", place.who());
    place.replyTo().tell(new Scheduler.PlaceResult(placedOn(vmId, "h1"), true));

    var result = await(started);
    VmState state = success(result.reply());
    var placed = result.eventOfType(VmEvent.VmPlaced.class);
    assertEquals("h1", placed.hostId());
    assertEquals(placedOn(vmId, "h1"), placed.decision());
    assertEquals(VmPhase.PLACED, state.phase());
    assertEquals("h1", state.hostId());
    assertEquals(placedOn(vmId, "h1").summary(), state.reason());

    var provision = expectToAgent("h1", HostAgent.Provision.class);
    assertEquals(new HostAgent.Provision(vmId, SPEC), provision);
    refs.appProbe("web").expectMessage(new AppEntity.VmChanged(vmId, VmPhase.PLACED, "h1"));
  }

  @Test
  void refusedPlacementIsRecordedAndAnswered() throws Exception {
    create(null, Set.of());
    var started = startAsync();
    scheduler.expectMessageClass(Scheduler.Place.class).replyTo()
        .tell(new Scheduler.PlaceResult(noHostFits(vmId), false));

    var result = await(started);
    assertRejected(result.reply(), Kind.CONFLICT,
        "vm " + vmId + " cannot be placed: no host fits: 1 host, 1 lacked memory");
    var refused = result.eventOfType(VmEvent.VmPlacementRefused.class);
    assertEquals(noHostFits(vmId), refused.decision());
    assertEquals(VmPhase.PENDING, result.state().phase());
    assertNull(result.state().hostId());
    assertEquals(noHostFits(vmId), result.state().placement());
    refs.hostProbe("h1").expectNoMessage(QUIET);
  }

  @Test
  void aPendingVmRetriesWhenTheSchedulerSaysSoAndIsPlacedOnceAHostFits() throws Exception {
    create(null, Set.of());
    var started = startAsync();
    scheduler.expectMessageClass(Scheduler.Place.class).replyTo()
        .tell(new Scheduler.PlaceResult(noHostFits(vmId), false));
    await(started);
    assertEquals(VmPhase.PENDING, vm.getState().phase());

    // still no room: the same reason is not recorded again
    vm.runCommand(VmEntity.RetryPlacement.INSTANCE);
    var again = scheduler.expectMessageClass(Scheduler.Place.class);
    assertEquals(Who.SCHEDULER, again.who());
    again.replyTo().tell(new Scheduler.PlaceResult(noHostFits(vmId), false));
    awaitState(s -> s.phase() == VmPhase.PENDING);
    scheduler.expectNoMessage(QUIET);
    int eventsBefore = vm.persistenceTestKit().persistedInStorage("Vm|" + vmId).size();

    // room appeared: placed and provisioned
    vm.runCommand(VmEntity.RetryPlacement.INSTANCE);
    scheduler.expectMessageClass(Scheduler.Place.class).replyTo()
        .tell(new Scheduler.PlaceResult(placedOn(vmId, "h2"), true));
    expectToAgent("h2", HostAgent.Provision.class);
    VmState placed = awaitState(s -> s.phase() == VmPhase.PLACED);
    assertEquals("h2", placed.hostId());
    assertEquals(eventsBefore + 1, vm.persistenceTestKit().persistedInStorage("Vm|" + vmId).size());
  }

  @Test
  void retryIsIgnoredUnlessPendingAndAPendingVmCanBeStopped() throws Exception {
    create(null, Set.of());
    var ignored = vm.runCommand(VmEntity.RetryPlacement.INSTANCE);
    assertTrue(ignored.hasNoEvents());
    scheduler.expectNoMessage(QUIET);

    var started = startAsync();
    scheduler.expectMessageClass(Scheduler.Place.class).replyTo()
        .tell(new Scheduler.PlaceResult(noHostFits(vmId), false));
    await(started);
    var stopped = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Stop("bob", r));
    assertEquals(VmPhase.STOPPED, stopped.state().phase());
    assertEquals("stopped while pending", stopped.eventOfType(VmEvent.VmStopped.class).reason());
  }

  @Test
  void aSecondStartWhilePlacingIsRefused() throws Exception {
    create(null, Set.of());
    var first = startAsync();
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);

    var second = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Start("bob", r));
    assertRejected(second.reply(), Kind.CONFLICT, "vm " + vmId + " is being placed already");
    assertTrue(second.hasNoEvents());
    scheduler.expectNoMessage(QUIET);

    place.replyTo().tell(new Scheduler.PlaceResult(placedOn(vmId, "h1"), true));
    success(await(first).reply());
    expectToAgent("h1", HostAgent.Provision.class);
  }

  @Test
  void aVmDeletedWhileBeingPlacedGivesItsReservationBack() throws Exception {
    create(null, Set.of());
    var started = startAsync();
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);

    var deleted = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Delete("bob", r));
    assertEquals(VmPhase.DELETED, success(deleted.reply()).phase());

    place.replyTo().tell(new Scheduler.PlaceResult(placedOn(vmId, "h1"), true));
    var result = await(started);
    assertRejected(result.reply(), Kind.CONFLICT, "vm " + vmId + " is deleted");
    // the only event since the start is the delete: the late placement persisted nothing
    assertEquals(1, result.events().size());
    assertInstanceOf(VmEvent.VmDeleted.class, result.events().get(0));
    assertEquals(VmPhase.DELETED, result.state().phase());
    var release = refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class);
    assertEquals(vmId, release.vmId());
  }

  // ---- the agent's reports

  @Test
  void copyBootAndRunReportsAdvanceThePhaseInOrder() throws Exception {
    create("web", Set.of());
    startOn("h1");

    var copy30 = report("h1", VmPhase.COPYING, 30);
    assertEquals(30, copy30.eventOfType(VmEvent.VmCopyProgressed.class).percent());
    assertEquals(VmPhase.COPYING, copy30.state().phase());
    assertEquals(30, copy30.state().copyPercent());

    // progress never goes back
    var copy20 = report("h1", VmPhase.COPYING, 20);
    assertTrue(copy20.hasNoEvents());
    assertEquals(30, copy20.state().copyPercent());

    assertEquals(80, report("h1", VmPhase.COPYING, 80).eventOfType(VmEvent.VmCopyProgressed.class).percent());

    var booting = report("h1", VmPhase.BOOTING, 100);
    assertInstanceOf(VmEvent.VmBooting.class, booting.event());
    assertEquals(VmPhase.BOOTING, booting.state().phase());

    // copying after booting is out of order: ignored
    assertTrue(report("h1", VmPhase.COPYING, 90).hasNoEvents());

    var running = report("h1", VmPhase.RUNNING, 100);
    var event = running.eventOfType(VmEvent.VmRunning.class);
    assertEquals("h1", event.hostId());
    assertEquals(Who.AGENT, event.meta().who());
    assertEquals(VmPhase.RUNNING, running.state().phase());
    assertEquals("h1", running.state().hostId());

    var app = refs.appProbe("web");
    app.expectMessage(new AppEntity.VmChanged(vmId, VmPhase.DEFINED, null));
    app.expectMessage(new AppEntity.VmChanged(vmId, VmPhase.PLACED, "h1"));
    app.expectMessage(new AppEntity.VmChanged(vmId, VmPhase.RUNNING, "h1"));
    app.expectNoMessage(QUIET);
  }

  @Test
  void runningReportedRightAfterPlacementPersistsBootingAndRunning() throws Exception {
    create(null, Set.of());
    startOn("h1");

    var running = report("h1", VmPhase.RUNNING, 100);
    assertEquals(2, running.events().size());
    var booting = assertInstanceOf(VmEvent.VmBooting.class, running.events().get(0));
    assertEquals("h1", booting.hostId());
    assertInstanceOf(VmEvent.VmRunning.class, running.events().get(1));
    assertEquals(VmPhase.RUNNING, running.state().phase());

    // the same report again changes nothing
    assertTrue(report("h1", VmPhase.RUNNING, 100).hasNoEvents());
  }

  @Test
  void aReportFromAnotherHostIsStale() throws Exception {
    create(null, Set.of());
    startOn("h1");

    for (VmPhase phase : List.of(VmPhase.COPYING, VmPhase.BOOTING, VmPhase.RUNNING, VmPhase.STOPPED,
        VmPhase.FAILED)) {
      var stale = report("h2", phase, 50);
      assertTrue(stale.hasNoEvents(), phase + " from h2");
      assertEquals(VmPhase.PLACED, stale.state().phase());
    }
    refs.hostProbe("h2").expectNoMessage(QUIET);
  }

  // ---- stop, failure, delete

  @Test
  void stopAsksTheHostAndTheStoppedReportReleasesTheReservation() throws Exception {
    create("web", Set.of());
    startOn("h1");
    report("h1", VmPhase.RUNNING, 100);
    var app = refs.appProbe("web");
    app.receiveSeveralMessages(3);  // defined, placed, running

    var stop = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Stop("bob", r));
    assertEquals(VmPhase.STOPPING, success(stop.reply()).phase());
    assertEquals("bob", stop.eventOfType(VmEvent.VmStopping.class).meta().who());
    assertEquals(new HostAgent.StopVm(vmId), expectToAgent("h1", HostAgent.StopVm.class));
    app.expectMessage(new AppEntity.VmChanged(vmId, VmPhase.STOPPING, "h1"));

    // stopping again is accepted and changes nothing
    var again = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Stop("bob", r));
    assertTrue(again.hasNoEvents());
    assertEquals(VmPhase.STOPPING, success(again.reply()).phase());

    var stopped = report("h1", VmPhase.STOPPED, 0);
    var event = stopped.eventOfType(VmEvent.VmStopped.class);
    assertEquals("stopped on request", event.reason());
    assertEquals(VmPhase.STOPPED, stopped.state().phase());
    assertNull(stopped.state().hostId());

    var release = refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class);
    assertEquals(vmId, release.vmId());
    assertEquals(Who.AGENT, release.who());
    app.expectMessage(new AppEntity.VmChanged(vmId, VmPhase.STOPPED, null));
  }

  @Test
  void aVmStoppedOnItsOwnSaysSo() throws Exception {
    running("h1");
    var stopped = report("h1", VmPhase.STOPPED, 0);
    assertEquals("stopped on host h1", stopped.eventOfType(VmEvent.VmStopped.class).reason());
    refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class);
  }

  @Test
  void aFailureReportReleasesTheHostAndTheVmCanStartAgain() throws Exception {
    running("h1");
    var failed = vm.runCommand(new VmEntity.AgentReport("h1", VmPhase.FAILED, 0, "disk image corrupt"));
    var event = failed.eventOfType(VmEvent.VmFailed.class);
    assertEquals("h1", event.hostId());
    assertEquals("disk image corrupt", event.reason());
    assertEquals(VmPhase.FAILED, failed.state().phase());
    assertEquals("disk image corrupt", failed.state().reason());
    assertEquals(vmId, refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class).vmId());

    var restarted = startOn("h2");
    assertEquals("h2", restarted.eventOfType(VmEvent.VmPlaced.class).hostId());
  }

  @Test
  void anUnreachableControlProgramFailsTheVm() throws Exception {
    create(null, Set.of());
    var started = startAsync();
    scheduler.expectMessageClass(Scheduler.Place.class).replyTo()
        .tell(new Scheduler.PlaceResult(placedOn(vmId, "h1"), true));
    await(started);

    var toAgent = refs.hostProbe("h1").expectMessageClass(HostEntity.ToAgent.class);
    toAgent.replyTo().tell(StatusReply.error(
        io.actorvmm.domain.Rejection.unavailable("control program of host h1 is not reachable")));

    VmState failed = awaitState(s -> s.phase() == VmPhase.FAILED);
    assertEquals("control program of host h1 is not reachable", failed.reason());
    assertEquals(vmId, refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class).vmId());
  }

  @Test
  void illegalTransitionsAreConflictsAndPersistNothing() throws Exception {
    create(null, Set.of());

    var stopDefined = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Stop("bob", r));
    assertRejected(stopDefined.reply(), Kind.CONFLICT, "vm " + vmId + " is not running: it is defined");
    assertTrue(stopDefined.hasNoEvents());

    startOn("h1");
    report("h1", VmPhase.RUNNING, 100);

    var startRunning = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Start("bob", r));
    assertRejected(startRunning.reply(), Kind.CONFLICT, "vm " + vmId + " cannot start: it is running");
    assertTrue(startRunning.hasNoEvents());
    scheduler.expectNoMessage(QUIET);

    var deleteRunning = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Delete("bob", r));
    assertRejected(deleteRunning.reply(), Kind.CONFLICT, "vm " + vmId + " cannot be deleted: it is running");
    assertTrue(deleteRunning.hasNoEvents());
    assertEquals(VmPhase.RUNNING, deleteRunning.state().phase());
  }

  @Test
  void aDefinedVmCanBeDeletedAndThenNothingMore() {
    create(null, Set.of());
    var deleted = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Delete("bob", r));
    assertInstanceOf(VmEvent.VmDeleted.class, deleted.event());
    assertEquals(VmPhase.DELETED, deleted.state().phase());

    var start = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Start("bob", r));
    assertRejected(start.reply(), Kind.CONFLICT, "cannot start: it is deleted");
    assertTrue(start.hasNoEvents());
    var again = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Delete("bob", r));
    assertRejected(again.reply(), Kind.CONFLICT, "cannot be deleted: it is deleted");
    assertTrue(again.hasNoEvents());
  }

  // ---- recovery

  @Test
  void recoveryInPlacedPhaseProvisionsAgain() throws Exception {
    create(null, Set.of());
    startOn("h1");

    var restarted = vm.restart();
    assertEquals(VmPhase.PLACED, restarted.state().phase());
    assertEquals("h1", restarted.state().hostId());
    assertEquals(new HostAgent.Provision(vmId, SPEC), expectToAgent("h1", HostAgent.Provision.class));
  }

  @Test
  void recoveryInStoppingPhaseStopsAgain() throws Exception {
    running("h1");
    vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Stop("bob", r));
    expectToAgent("h1", HostAgent.StopVm.class);

    var restarted = vm.restart();
    assertEquals(VmPhase.STOPPING, restarted.state().phase());
    assertEquals(new HostAgent.StopVm(vmId), expectToAgent("h1", HostAgent.StopVm.class));
  }

  @Test
  void recoveryOfARunningVmSendsNothing() throws Exception {
    running("h1");
    var restarted = vm.restart();
    assertEquals(VmPhase.RUNNING, restarted.state().phase());
    refs.hostProbe("h1").expectNoMessage(QUIET);
  }

  @Test
  void getAnswersTheState() throws Exception {
    create(null, Set.of());
    var get = vm.<VmState>runCommand(VmEntity.Get::new);
    assertEquals(get.state(), get.reply());
    assertTrue(get.hasNoEvents());
  }

  // ---- moves and host loss

  private StatusReply<VmState> claim(long moveId, String from, String to) {
    return vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.ClaimForMove(moveId, from, to, false, Who.MOVE, r))
        .reply();
  }

  @Test
  void aMoveHoldsTheVmFromClaimToEndAndBlocksStartStopAndDelete() throws Exception {
    running("h1");
    assertRejected(claim(1, "h2", "h3"), Kind.CONFLICT, "not running on h2");
    var claimed = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.ClaimForMove(1, "h1", "h2", false, Who.MOVE, r));
    assertEquals(new VmState.Moving(1, "h1", "h2", false), success(claimed.reply()).moving());
    assertEquals(VmPhase.RUNNING, claimed.state().phase());
    // the same move again is fine, another move is refused, and so are start, stop and delete
    assertTrue(vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.ClaimForMove(1, "h1", "h2", false, Who.MOVE, r))
        .hasNoEvents());
    assertRejected(claim(2, "h1", "h3"), Kind.CONFLICT, "is moving from h1 to h2");
    assertRejected(vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Stop("alice", r)).reply(), Kind.CONFLICT,
        "is moving");
    // while moving, the agent's reports do not change the VM: the move decides
    assertTrue(report("h1", VmPhase.STOPPED, 0).hasNoEvents());
    vm.runCommand(new VmEntity.MoveProgress(1, VmPhase.COPYING, 40, "copying to h2"));
    assertEquals(40, vm.getState().copyPercent());
    assertEquals(VmPhase.COPYING, vm.getState().phase());
    var assigned = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.AssignForMove(1, "h2", Who.MOVE, r));
    assertEquals("h2", success(assigned.reply()).hostId());
    assertEquals("h1", assigned.eventOfType(VmEvent.VmMoved.class).fromHost());
    var ended = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.EndMove(1, "h2", VmPhase.RUNNING, true, "moved",
        Who.MOVE, r));
    VmState after = success(ended.reply());
    assertNull(after.moving());
    assertEquals(VmPhase.RUNNING, after.phase());
    assertEquals("h2", after.hostId());
    // ending again is a no-op
    assertTrue(vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.EndMove(1, "h2", VmPhase.RUNNING, true, "moved",
        Who.MOVE, r)).hasNoEvents());
  }

  @Test
  void aVmWithLocalDataOnALostHostIsDataUnavailableAndNotRestarted() throws Exception {
    running("h1");
    var lost = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.HostLost("h1", "node was downed", r));
    VmState s = success(lost.reply());
    assertEquals(VmPhase.FAILED, s.phase());
    assertTrue(s.reason().startsWith("data unavailable: its data lived only on host h1"), s.reason());
    assertTrue(lost.eventOfType(VmEvent.VmLost.class).dataUnavailable());
    refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class);
    scheduler.expectNoMessage(QUIET);
    // a loss of another host does not concern it
    assertTrue(vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.HostLost("h9", "x", r)).hasNoEvents());
  }

  @Test
  void aVmWithReplicatedDataOnALostHostIsPlacedAgain() throws Exception {
    vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Create(SPEC.withData(io.actorvmm.domain.DataPolicy.REPLICATED, 3), null, Set.of(),
        "alice", r));
    startOn("h1");
    report("h1", VmPhase.RUNNING, 100);
    var lost = CompletableFuture.supplyAsync(() ->
        vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.HostLost("h1", "node was downed", r)));
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);
    place.replyTo().tell(new Scheduler.PlaceResult(placedOn(vmId, "h2"), true));
    VmState s = success(await(lost).reply());
    assertEquals(VmPhase.PLACED, s.phase());
    assertEquals("h2", s.hostId());
    expectToAgent("h2", HostAgent.Provision.class);
  }

  @Test
  void aVmInAColdMoveIsLeftToItsMoveWhenAHostIsLostUntilItRunsOnTheTarget() throws Exception {
    running("h1");
    success(claim(1, "h1", "h2"));
    // claimed, still running on its source: a lost source does not fail it over, the move decides
    assertTrue(vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.HostLost("h1", "node left", r)).hasNoEvents());
    vm.runCommand(new VmEntity.MoveProgress(1, VmPhase.COPYING, 40, "copying to h2"));
    assertTrue(vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.HostLost("h1", "node left", r)).hasNoEvents());
    vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.AssignForMove(1, "h2", Who.MOVE, r));
    // assigned and booting on the target: a lost target is the move's too (it falls back to the source)
    assertTrue(vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.HostLost("h2", "node left", r)).hasNoEvents());
    assertEquals(1, vm.getState().moving().moveId());
    scheduler.expectNoMessage(QUIET);
    // once the move says it runs on the target, the target's loss loses it like any running VM
    vm.runCommand(new VmEntity.MoveProgress(1, VmPhase.RUNNING, 100, "runs on h2"));
    var lost = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.HostLost("h2", "node left", r));
    VmState s = success(lost.reply());
    assertEquals(VmPhase.FAILED, s.phase());
    assertNull(s.moving());
    assertTrue(lost.eventOfType(VmEvent.VmLost.class).dataUnavailable());
  }

  // ---- reconciliation: restart policy, data, lost reports

  private CommandResult<VmEntity.Command, VmEvent, VmState> observed(String hostId, VmEntity.Seen seen,
                                                                      boolean hasData, boolean afterNodeStart) {
    return vm.runCommand(new VmEntity.Observed(hostId, seen, hasData, afterNodeStart));
  }

  private void runningWith(VmSpec spec, String appId) throws Exception {
    vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.Create(spec, appId, Set.of(), "alice", r));
    startOn("h1");
    report("h1", VmPhase.RUNNING, 100);
  }

  @Test
  void aVmMissingAfterItsNodeRestartedIsRestartedInPlaceWithTheReason() throws Exception {
    running("h1");
    var r = observed("h1", VmEntity.Seen.ABSENT, true, true);
    var e = r.eventOfType(VmEvent.VmRestarting.class);
    assertEquals(Who.RECONCILE, e.meta().who());
    assertEquals("vm " + vmId + " was not running on h1 after its node restarted; restarted in place (a restart of "
        + "its node does not count against its restarts)", e.reason());
    assertEquals(0, e.attempt());
    assertEquals(VmPhase.PLACED, r.state().phase());
    assertEquals("h1", r.state().hostId());
    assertTrue(r.state().restarts().times().isEmpty(), "a node restart is not the VM's failure");
    // the first restart boots at once, on the same host, keeping its reservation
    expectToAgent("h1", HostAgent.Provision.class);
    refs.hostProbe("h1").expectNoMessage(QUIET);
    report("h1", VmPhase.RUNNING, 100);
    assertEquals(VmPhase.RUNNING, vm.getState().phase());
    assertNull(vm.getState().restarts().nextTry());
  }

  @Test
  void aRunningVmSeenRunningChangesNothing() throws Exception {
    running("h1");
    assertTrue(observed("h1", VmEntity.Seen.RUNNING, true, true).hasNoEvents());
    assertTrue(observed("h1", VmEntity.Seen.STARTING, true, false).hasNoEvents());
    // nor does what another host sees
    assertTrue(observed("h2", VmEntity.Seen.ABSENT, false, false).hasNoEvents());
  }

  @Test
  void repeatedCrashesBackOffThenRelocateThenFail() throws Exception {
    runningWith(SPEC.withData(io.actorvmm.domain.DataPolicy.REPLICATED, 0), "web");
    for (int i = 1; i <= 3; i++) {
      var r = observed("h1", VmEntity.Seen.CRASHED, true, false);
      var e = r.eventOfType(VmEvent.VmRestarting.class);
      assertEquals(i, e.attempt());
      assertTrue(e.reason().startsWith("vm " + vmId + " crashed on h1; restarted in place (restart " + i + " of 3"),
          e.reason());
      if (i == 1) {
        assertEquals(e.meta().at(), e.notBefore());
      } else {
        assertTrue(e.notBefore().isAfter(e.meta().at()), "restart " + i + " waits its back-off");
      }
      // after the back-off (none, 2 s, 4 s) the host is asked to boot it again
      expectToAgent("h1", HostAgent.Provision.class, Duration.ofSeconds(8));
      report("h1", VmPhase.RUNNING, 100);
    }
    // the fourth crash within the window relocates it: released here, placed on another host than h1
    var relocate = CompletableFuture.supplyAsync(() -> observed("h1", VmEntity.Seen.CRASHED, true, false));
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);
    assertEquals(Set.of("h1"), place.excludeHosts());
    assertEquals("vm " + vmId + " crashed on h1; restarted 3 times within 10 min: relocating to another host",
        await(relocate).eventOfType(VmEvent.VmRelocating.class).reason());
    assertEquals(vmId, refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class).vmId());
    place.replyTo().tell(new Scheduler.PlaceResult(noHostFits(vmId), false));
    VmState failed = awaitState(s -> s.phase() == VmPhase.FAILED && s.reason().contains("no other host"));
    assertEquals("vm " + vmId + " crashed on h1; restarted 3 times within 10 min: relocating to another host; "
        + "no other host can take it: no host fits: 1 host, 1 lacked memory", failed.reason());
  }

  @Test
  void aVmWithLocalDataIsNotRelocatedWhenItsRestartsAreUsedUp() throws Exception {
    runningWith(SPEC.withRestart("always", 0, null), null);
    var r = observed("h1", VmEntity.Seen.CRASHED, true, false);
    assertEquals("vm " + vmId + " crashed on h1; restart policy allows no restart in place and it cannot relocate: "
        + "its data lives only on host h1", r.eventOfType(VmEvent.VmFailed.class).reason());
    assertEquals(VmPhase.FAILED, r.state().phase());
    refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class);
    scheduler.expectNoMessage(QUIET);
  }

  @Test
  void onFailureLeavesAVmThatStoppedByItselfStoppedAndNeverFailsACrash() throws Exception {
    running("h1");  // a plain VM: on-failure
    var stopped = observed("h1", VmEntity.Seen.STOPPED, true, false);
    assertEquals(VmPhase.STOPPED, stopped.state().phase());
    assertTrue(stopped.eventOfType(VmEvent.VmStopped.class).reason().endsWith(
        "restart policy on-failure leaves a VM that stopped by itself stopped"));

    newVm();
    runningWith(SPEC.withRestart("never", null, null), "web");
    var crashed = observed("h1", VmEntity.Seen.CRASHED, true, false);
    assertEquals(VmPhase.FAILED, crashed.state().phase());
    assertEquals("vm " + vmId + " crashed on h1; restart policy never does not restart it", crashed.state().reason());
  }

  @Test
  void aVmWhoseDataIsMissingFailsAndNeedsTheOperatorToStartItFromItsImage() throws Exception {
    running("h1");
    var r = observed("h1", VmEntity.Seen.ABSENT, false, true);
    VmEvent.VmFailed e = r.eventOfType(VmEvent.VmFailed.class);
    assertTrue(e.dataMissing());
    assertEquals("vm " + vmId + " was not running on h1 after its node restarted; data missing on host h1", e.reason());
    refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class);
    scheduler.expectNoMessage(QUIET);
    // a plain start is refused and persists nothing; from its image it starts
    var refused = vm.<StatusReply<VmState>>runCommand(rr -> new VmEntity.Start("alice", rr));
    assertRejected(refused.reply(), Kind.CONFLICT, "vm " + vmId + " cannot start: its data is unavailable (it is "
        + "missing); start it from its image to begin again without that data");
    assertTrue(refused.hasNoEvents());
    var started = CompletableFuture.supplyAsync(() -> vm.<StatusReply<VmState>>runCommand(
        rr -> new VmEntity.Start("alice", true, rr)));
    scheduler.expectMessageClass(Scheduler.Place.class).replyTo()
        .tell(new Scheduler.PlaceResult(placedOn(vmId, "h2"), true));
    VmState placed = success(await(started).reply());
    assertEquals("h2", placed.hostId());
    assertNull(placed.dataLoss());
  }

  @Test
  void aReplicatedVmWhoseDataIsMissingIsPlacedAgain() throws Exception {
    runningWith(SPEC.withData(io.actorvmm.domain.DataPolicy.REPLICATED, 0), null);
    var r = CompletableFuture.supplyAsync(() -> observed("h1", VmEntity.Seen.ABSENT, false, true));
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);
    assertTrue(place.excludeHosts().isEmpty());
    assertTrue(await(r).eventOfType(VmEvent.VmFailed.class).reason().endsWith(
        "data missing on host h1: placed again from its replica"));
    assertNull(await(r).state().dataLoss());
  }

  @Test
  void aDataUnavailableVmRestartsOnItsHostWhenItsDataIsFoundThere() throws Exception {
    running("h1");
    success(vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.HostLost("h1", "node left", r)).reply());
    refs.hostProbe("h1").expectMessageClass(HostEntity.Release.class);
    assertEquals("h1", vm.getState().dataLoss().hostId());
    // the data found on another host does not concern it
    vm.runCommand(new VmEntity.DataFound("h2"));
    scheduler.expectNoMessage(QUIET);
    vm.runCommand(new VmEntity.DataFound("h1"));
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);
    assertEquals("h1", place.onlyHost());
    place.replyTo().tell(new Scheduler.PlaceResult(placedOn(vmId, "h1"), true));
    expectToAgent("h1", HostAgent.Provision.class);
    VmState s = awaitState(st -> st.phase() == VmPhase.PLACED);
    assertEquals("h1", s.hostId());
    assertNull(s.dataLoss());
    assertEquals("its data is on host h1 again: started there from it", s.reason());
  }

  @Test
  void lostReportsCatchUp() throws Exception {
    create(null, Set.of());
    startOn("h1");
    report("h1", VmPhase.BOOTING, 100);
    // it runs although the report of it was lost
    var r = observed("h1", VmEntity.Seen.RUNNING, true, true);
    assertEquals(VmPhase.RUNNING, r.state().phase());
    // a stop whose report was lost is recorded once the host shows it stopped
    vm.<StatusReply<VmState>>runCommand(rr -> new VmEntity.Stop("alice", rr));
    expectToAgent("h1", HostAgent.StopVm.class);
    var stopped = observed("h1", VmEntity.Seen.STOPPED, true, false);
    assertEquals(VmPhase.STOPPED, stopped.state().phase());
    assertEquals("stopped on request", stopped.state().reason());
  }

  @Test
  void aMoveAbandonedOnNoHostLeavesALocalVmWaitingForItsSourceAndPlacesAReplicatedOneAgain() throws Exception {
    running("h1");
    success(claim(1, "h1", "h2"));
    var ended = vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.EndMove(1, null, VmPhase.FAILED, false,
        "move to h2 failed: x; the control program of host h1 did not restart it", Who.MOVE, r));
    VmState s = success(ended.reply());
    assertEquals(VmPhase.FAILED, s.phase());
    assertEquals("h1", s.dataLoss().hostId(), "its data is on the source, which it waits for");
    scheduler.expectNoMessage(QUIET);
    vm.runCommand(new VmEntity.DataFound("h1"));
    assertEquals("h1", scheduler.expectMessageClass(Scheduler.Place.class).onlyHost());

    newVm();
    runningWith(SPEC.withData(io.actorvmm.domain.DataPolicy.REPLICATED, 0), null);
    success(claim(1, "h1", "h2"));
    var replicated = CompletableFuture.supplyAsync(() -> vm.<StatusReply<VmState>>runCommand(r -> new VmEntity.EndMove(1,
        null, VmPhase.FAILED, false, "move to h2 failed: x; the control program of host h1 did not restart it",
        Who.MOVE, r)));
    Scheduler.Place place = scheduler.expectMessageClass(Scheduler.Place.class);
    assertNull(place.onlyHost());
    assertNull(success(await(replicated).reply()).dataLoss());
  }
}
