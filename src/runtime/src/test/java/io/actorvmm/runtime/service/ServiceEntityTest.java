package io.actorvmm.runtime.service;

import static io.actorvmm.runtime.RuntimeTestKit.assertRejected;
import static io.actorvmm.runtime.RuntimeTestKit.expectNothingBut;
import static io.actorvmm.runtime.RuntimeTestKit.expectSkipping;
import static io.actorvmm.runtime.RuntimeTestKit.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.Rejection.Kind;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.Availability;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.runtime.ProbeRefs;
import io.actorvmm.runtime.RuntimeTestKit;
import io.actorvmm.runtime.Specs;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.app.AppEvent;
import io.actorvmm.runtime.app.AppState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service entity: definition and validation, start in dependency order, stop in reverse order,
 * and availability as its child watchers report the applications.
 */
class ServiceEntityTest {

  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final VmSpec VM = Specs.vm(1, 1024);

  private static ActorTestKit testKit;

  private String name;
  private ProbeRefs refs;
  private EventSourcedBehaviorTestKit<ServiceEntity.Command, ServiceEvent, ServiceState> service;

  @BeforeAll
  static void startSystem() {
    testKit = RuntimeTestKit.create("ServiceEntityTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newService() {
    name = "shop" + SEQ.incrementAndGet();
    refs = new ProbeRefs(testKit);
    service = EventSourcedBehaviorTestKit.create(testKit.system(), ServiceEntity.create(name, refs));
  }

  // ---- helpers

  /** db and web need nothing; payment starts after db; web's replicas run on different hosts. */
  private ServiceSpec shop() {
    return new ServiceSpec(name, List.of(
        new AppRequirement("db", "postgres", 1, VM, List.of()),
        new AppRequirement("web", "nginx", 2, VM, List.of()),
        new AppRequirement("payment", "java", 1, VM, List.of("db"))),
        new ServiceRules(List.of("web")));
  }

  private CommandResultWithReply<ServiceEntity.Command, ServiceEvent, ServiceState,
      StatusReply<ServiceEntity.ServiceView>> define(ServiceSpec spec) {
    return service.runCommand(r -> new ServiceEntity.Define(spec, "alice", r));
  }

  private CommandResultWithReply<ServiceEntity.Command, ServiceEvent, ServiceState,
      StatusReply<ServiceEntity.ServiceView>> start() {
    return service.runCommand(r -> new ServiceEntity.Start("alice", r));
  }

  private CommandResultWithReply<ServiceEntity.Command, ServiceEvent, ServiceState,
      StatusReply<ServiceEntity.ServiceView>> stop() {
    return service.runCommand(r -> new ServiceEntity.Stop("bob", r));
  }

  private TestProbe<AppEntity.Command> app(String app) {
    return refs.appProbe(app);
  }

  /** The next command to {@code app} of {@code type}, skipping its watcher's polls. */
  private <T extends AppEntity.Command> T expectAt(String app, Class<T> type) {
    return expectSkipping(app(app), type, AppEntity.Get.class);
  }

  /** Asserts that {@code app} receives nothing but its watcher's polls for a while. */
  private void expectOnlyPolls(String app) {
    expectNothingBut(app(app), AppEntity.Get.class, QUIET);
  }

  /** The application pushes its state to the service, as AppEntity does after every change. */
  private void push(String app, String status, int running, int replicas) {
    // what the push leads to is persisted later, when the watcher reports back; see awaitState
    service.runCommand(new ServiceEntity.AppObserved(app, status, running, replicas));
  }

  /** Waits until the state satisfies {@code condition}: the watchers report asynchronously. */
  private ServiceState awaitState(Predicate<ServiceState> condition) {
    TestProbe<Object> waiter = testKit.createTestProbe();
    return waiter.awaitAssert(Duration.ofSeconds(3), () -> {
      ServiceState s = service.getState();
      assertTrue(condition.test(s), () -> "state not reached: " + s);
      return s;
    });
  }

  /** Every event of the service, in journal order. */
  private List<ServiceEvent> journal() {
    return service.persistenceTestKit().persistedInStorage("Service|" + name).stream()
        .map(ServiceEvent.class::cast).toList();
  }

  private List<ServiceEvent> journalFrom(int index) {
    List<ServiceEvent> all = journal();
    return all.subList(index, all.size());
  }

  private List<ServiceEvent.ServiceAvailabilityChanged> availabilityChanges() {
    return journal().stream().filter(ServiceEvent.ServiceAvailabilityChanged.class::isInstance)
        .map(ServiceEvent.ServiceAvailabilityChanged.class::cast).toList();
  }

  /** Defined: every application was defined for the service. */
  private void defined() {
    define(shop());
    for (String a : List.of("db", "web", "payment")) expectAt(a, AppEntity.Define.class);
  }

  /** Defined and started: db and web asked to start. */
  private void started() {
    defined();
    start();
    expectAt("db", AppEntity.Start.class);
    expectAt("web", AppEntity.Start.class);
  }

  /** An application's state as its own events would build it. */
  private static AppState appState(String app, int replicas, String service, int running) {
    EventMeta meta = EventMeta.now("test");
    AppState s = AppState.empty(app)
        .apply(new AppEvent.AppDefined(app, "postgres", replicas, VM, service, false, meta))
        .apply(new AppEvent.AppStartRequested(app, service, meta));
    for (int i = 1; i <= running; i++) {
      s = s.apply(new AppEvent.AppReplicaChanged(app, app + "-" + i, VmPhase.RUNNING, "h" + i, meta));
    }
    return s;
  }

  // ---- define

  @Test
  void defineRecordsTheServiceAndDefinesItsApplications() {
    var result = define(shop());

    var view = success(result.reply());
    assertEquals(shop(), result.eventOfType(ServiceEvent.ServiceDefined.class).spec());
    assertEquals("alice", result.eventOfType(ServiceEvent.ServiceDefined.class).meta().who());
    assertTrue(view.state().exists());
    assertFalse(view.state().started());
    assertEquals(Availability.STOPPED, view.state().availability());
    assertEquals(List.of(new ServiceEntity.AppStatus("db", "unknown", 0, 1),
        new ServiceEntity.AppStatus("web", "unknown", 0, 2),
        new ServiceEntity.AppStatus("payment", "unknown", 0, 1)), view.apps());

    var db = expectAt("db", AppEntity.Define.class);
    assertEquals("postgres", db.kind());
    assertEquals(1, db.replicas());
    assertEquals(VM, db.vm());
    assertEquals(name, db.service());
    assertFalse(db.distinctHosts());
    assertEquals("alice", db.who());
    assertTrue(expectAt("web", AppEntity.Define.class).distinctHosts());
    assertEquals(name, expectAt("payment", AppEntity.Define.class).service());
  }

  @Test
  void invalidDefinitionsPersistNothingAndDefineNoApplication() {
    var unknownAfter = define(new ServiceSpec(name, List.of(
        new AppRequirement("db", "postgres", 1, VM, List.of()),
        new AppRequirement("payment", "java", 1, VM, List.of("cache"))), null));
    assertRejected(unknownAfter.reply(), Kind.INVALID, "app payment starts after unknown app cache");
    assertTrue(unknownAfter.hasNoEvents());

    var cycle = define(new ServiceSpec(name, List.of(
        new AppRequirement("a", "x", 1, VM, List.of("b")),
        new AppRequirement("b", "x", 1, VM, List.of("a"))), null));
    assertRejected(cycle.reply(), Kind.INVALID, "start order has a cycle");
    assertTrue(cycle.hasNoEvents());

    var noApps = define(new ServiceSpec(name, List.of(), null));
    assertRejected(noApps.reply(), Kind.INVALID, "a service needs at least one application");
    assertTrue(noApps.hasNoEvents());

    var otherName = define(new ServiceSpec("other", shop().apps(), shop().rules()));
    assertRejected(otherName.reply(), Kind.INVALID, "spec names service other");
    assertTrue(otherName.hasNoEvents());

    assertFalse(service.getState().exists());
    assertEquals(Set.of(), refs.appIds(), "no application was defined or watched");
  }

  @Test
  void anIdenticalRedefinitionChangesNothingAndADifferentOneConflicts() {
    define(shop());

    var same = define(shop());
    assertTrue(same.hasNoEvents());
    assertEquals(shop(), success(same.reply()).state().spec());

    var different = define(new ServiceSpec(name, shop().apps().subList(0, 2), null));
    assertRejected(different.reply(), Kind.CONFLICT, "service " + name + " already exists with another definition");
    assertTrue(different.hasNoEvents());
    assertEquals(shop(), different.state().spec());
  }

  @Test
  void anUnknownServiceIsNotFound() {
    var s = start();
    assertRejected(s.reply(), Kind.NOT_FOUND, "service " + name + " not found");
    assertTrue(s.hasNoEvents());
    var t = stop();
    assertRejected(t.reply(), Kind.NOT_FOUND, "service " + name + " not found");
    assertTrue(t.hasNoEvents());
  }

  // ---- start

  @Test
  void startIssuesApplicationsWithoutDependenciesFirst() {
    defined();

    var result = start();
    assertTrue(success(result.reply()).state().started());
    assertEquals(3, result.events().size());
    assertTrue(result.events().get(0) instanceof ServiceEvent.ServiceStartRequested);
    var db = (ServiceEvent.ServiceAppStartIssued) result.events().get(1);
    var web = (ServiceEvent.ServiceAppStartIssued) result.events().get(2);
    assertEquals("db", db.app());
    assertEquals("it needs no other application", db.reason());
    assertEquals("web", web.app());
    assertEquals(Set.of("db", "web"), result.state().issued());

    var startDb = expectAt("db", AppEntity.Start.class);
    assertEquals(name, startDb.by());
    assertEquals("alice", startDb.who());
    assertEquals(name, expectAt("web", AppEntity.Start.class).by());
    expectOnlyPolls("payment");
  }

  @Test
  void anApplicationStartsOnceWhatItStartsAfterRunsFully() {
    started();
    int before = journal().size();

    // web running says nothing about payment, which waits for db only
    push("web", "running", 2, 2);
    push("db", "starting", 0, 1);
    expectOnlyPolls("payment");
    assertFalse(service.getState().issued().contains("payment"));

    push("db", "running", 1, 1);
    ServiceState state = awaitState(s -> s.issued().contains("payment"));
    assertEquals(Set.of("db", "web", "payment"), state.issued());
    var issued = journalFrom(before).stream().filter(ServiceEvent.ServiceAppStartIssued.class::isInstance)
        .map(ServiceEvent.ServiceAppStartIssued.class::cast).toList();
    assertEquals(1, issued.size());
    assertEquals("payment", issued.get(0).app());
    assertEquals("db runs", issued.get(0).reason());
    assertEquals(name, expectAt("payment", AppEntity.Start.class).by());
  }

  @Test
  void theWatcherPollsTheApplicationAndReportsWhatItFinds() {
    started();

    // no push at all: db's watcher asks db for its state and the answer is reported to the service
    var poll = expectSkipping(app("db"), AppEntity.Get.class, AppEntity.Get.class);
    poll.replyTo().tell(appState("db", 1, name, 1));

    awaitState(s -> s.issued().contains("payment"));
    expectAt("payment", AppEntity.Start.class);
    var view = service.<ServiceEntity.ServiceView>runCommand(ServiceEntity.Get::new).reply();
    assertEquals(new ServiceEntity.AppStatus("db", "running", 1, 1), view.apps().get(0));
  }

  @Test
  void startingAgainReissuesTheStartedApplicationsWithoutEvents() {
    started();
    var again = start();
    assertTrue(again.hasNoEvents());
    assertEquals(Set.of("db", "web"), success(again.reply()).state().issued());
    expectAt("db", AppEntity.Start.class);
    expectAt("web", AppEntity.Start.class);
    expectOnlyPolls("payment");
  }

  // ---- availability

  @Test
  void availabilityIsRecordedWithItsReasonWheneverItChanges() {
    started();
    push("db", "running", 1, 1);
    push("web", "degraded", 1, 2);
    awaitState(s -> s.issued().contains("payment"));
    assertEquals(List.of(), availabilityChanges(), "not every application has been seen yet");

    push("payment", "starting", 0, 1);
    awaitState(s -> s.availability() == Availability.UNAVAILABLE);
    assertEquals("payment is down (0 of 1 running)", service.getState().reason());

    push("payment", "running", 1, 1);
    awaitState(s -> s.availability() == Availability.DEGRADED);
    assertEquals("web has 1 of 2 replicas running", service.getState().reason());

    push("web", "running", 2, 2);
    ServiceState available = awaitState(s -> s.availability() == Availability.AVAILABLE);
    assertEquals("all 3 applications are up", available.reason());

    var changes = availabilityChanges();
    assertEquals(List.of(Availability.UNAVAILABLE, Availability.DEGRADED, Availability.AVAILABLE),
        changes.stream().map(ServiceEvent.ServiceAvailabilityChanged::availability).toList());
    assertEquals(List.of("payment is down (0 of 1 running)", "web has 1 of 2 replicas running",
            "all 3 applications are up"),
        changes.stream().map(ServiceEvent.ServiceAvailabilityChanged::reason).toList());

    // the same observation again is no change
    push("web", "running", 2, 2);
    expectOnlyPolls("web");
    assertEquals(3, availabilityChanges().size());
  }

  // ---- stop

  @Test
  void stopIssuesDependentsBeforeWhatTheyDependOn() {
    started();
    push("db", "running", 1, 1);
    push("web", "running", 2, 2);
    awaitState(s -> s.issued().contains("payment"));
    expectAt("payment", AppEntity.Start.class);
    push("payment", "running", 1, 1);
    awaitState(s -> s.availability() == Availability.AVAILABLE);

    var result = stop();
    ServiceState state = success(result.reply()).state();
    assertFalse(state.started());
    var stopIssued = result.events().stream().filter(ServiceEvent.ServiceAppStopIssued.class::isInstance)
        .map(e -> ((ServiceEvent.ServiceAppStopIssued) e).app()).toList();
    assertEquals(List.of("web", "payment"), stopIssued, "db waits: payment still runs");
    assertTrue(result.events().get(0) instanceof ServiceEvent.ServiceStopRequested);
    var stopped = (ServiceEvent.ServiceAvailabilityChanged) result.events().get(result.events().size() - 1);
    assertEquals(Availability.STOPPED, stopped.availability());
    assertEquals("service is stopped", stopped.reason());
    assertEquals(Set.of("db"), state.issued());

    assertEquals(name, expectAt("payment", AppEntity.Stop.class).by());
    assertEquals("bob", expectAt("web", AppEntity.Stop.class).who());
    expectOnlyPolls("db");

    // once payment no longer runs, nothing needs db
    push("payment", "stopped", 0, 1);
    ServiceState done = awaitState(s -> s.issued().isEmpty());
    var last = journal().get(journal().size() - 1);
    assertEquals(new ServiceEvent.ServiceAppStopIssued(name, "db", "nothing running needs it", last.meta()), last);
    assertEquals(Availability.STOPPED, done.availability());
    assertEquals(name, expectAt("db", AppEntity.Stop.class).by());
  }

  @Test
  void stoppingAServiceThatDoesNotRunChangesNothing() {
    define(shop());
    var result = stop();
    assertTrue(result.hasNoEvents());
    assertFalse(success(result.reply()).state().started());
  }

  // ---- recovery

  @Test
  void recoveryRestoresTheStateAndWatchesTheApplicationsAgain() {
    started();
    ServiceState before = service.getState();

    var restarted = service.restart();
    assertEquals(before, restarted.state());
    // the new incarnation's watchers poll every application straight away
    for (String a : List.of("db", "web", "payment")) {
      expectSkipping(app(a), AppEntity.Get.class, AppEntity.Get.class);
    }
  }
}
