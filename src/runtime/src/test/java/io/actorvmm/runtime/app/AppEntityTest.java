package io.actorvmm.runtime.app;

import static io.actorvmm.runtime.RuntimeTestKit.assertRejected;
import static io.actorvmm.runtime.RuntimeTestKit.success;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.Rejection.Kind;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.ProbeRefs;
import io.actorvmm.runtime.RuntimeTestKit;
import io.actorvmm.runtime.Specs;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.vm.VmEntity;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
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

/** The application entity: definition by one or more services, its replicas' VMs, and what it tells its services. */
class AppEntityTest {

  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final Duration QUIET = Duration.ofMillis(200);
  private static final VmSpec SPEC = Specs.vm(1, 1024);

  private static ActorTestKit testKit;

  private String appId;
  private ProbeRefs refs;
  private EventSourcedBehaviorTestKit<AppEntity.Command, AppEvent, AppState> app;

  @BeforeAll
  static void startSystem() {
    testKit = RuntimeTestKit.create("AppEntityTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newApp() {
    appId = "web" + SEQ.incrementAndGet();
    refs = new ProbeRefs(testKit);
    app = EventSourcedBehaviorTestKit.create(testKit.system(), AppEntity.create(appId, refs));
  }

  // ---- helpers

  private CommandResultWithReply<AppEntity.Command, AppEvent, AppState, StatusReply<AppState>> define(
      String service, int replicas, boolean distinctHosts) {
    return app.runCommand(r -> new AppEntity.Define("nginx", replicas, SPEC, service, distinctHosts, "alice", r));
  }

  private CommandResultWithReply<AppEntity.Command, AppEvent, AppState, StatusReply<AppState>> start(String by) {
    return app.runCommand(r -> new AppEntity.Start(by, "alice", r));
  }

  private CommandResultWithReply<AppEntity.Command, AppEvent, AppState, StatusReply<AppState>> stop(String by) {
    return app.runCommand(r -> new AppEntity.Stop(by, "alice", r));
  }

  private CommandResult<AppEntity.Command, AppEvent, AppState> vmChanged(int replica, VmPhase phase, String host) {
    return app.runCommand(new AppEntity.VmChanged(appId + "-" + replica, phase, host));
  }

  private TestProbe<VmEntity.Command> replica(int i) {
    return refs.vmProbe(appId + "-" + i);
  }

  private ServiceEntity.AppObserved observedBy(String service) {
    return refs.serviceProbe(service).expectMessageClass(ServiceEntity.AppObserved.class);
  }

  /** Defined for shop, started by shop, both replicas created and started, shop told. */
  private void startedByShop() {
    define("shop", 2, true);
    start("shop");
    for (int i = 1; i <= 2; i++) {
      replica(i).expectMessageClass(VmEntity.Create.class);
      replica(i).expectMessageClass(VmEntity.Start.class);
    }
    observedBy("shop");
  }

  // ---- define

  @Test
  void defineRecordsTheApplicationForItsService() {
    var result = define("shop", 2, true);

    AppState state = success(result.reply());
    var event = result.eventOfType(AppEvent.AppDefined.class);
    assertEquals(appId, event.appId());
    assertEquals("nginx", event.kind());
    assertEquals(2, event.replicas());
    assertEquals(SPEC, event.vm());
    assertEquals("shop", event.service());
    assertTrue(event.distinctHosts());
    assertEquals("alice", event.meta().who());
    assertEquals(Set.of("shop"), state.services());
    assertEquals(Set.of(), state.wantedBy());
    assertEquals("defined", state.status());
    assertEquals(state, result.state());
  }

  @Test
  void fewerThanOneReplicaIsInvalid() {
    var result = define("shop", 0, false);
    assertRejected(result.reply(), Kind.INVALID, "replicas must be at least 1");
    assertTrue(result.hasNoEvents());
    assertFalse(result.state().exists());
  }

  @Test
  void anIdenticalDefinitionFromAnotherServiceJoinsIt() {
    define("shop", 2, false);

    var joined = define("blog", 2, false);
    var event = joined.eventOfType(AppEvent.AppJoinedService.class);
    assertEquals("blog", event.service());
    assertEquals(Set.of("blog", "shop"), success(joined.reply()).services());

    var sameAgain = define("blog", 2, false);
    assertTrue(sameAgain.hasNoEvents());
    assertEquals(Set.of("blog", "shop"), success(sameAgain.reply()).services());

    // a service that adds the distinct-hosts rule tightens the application for everyone
    var stricter = define("shop", 2, true);
    assertTrue(stricter.eventOfType(AppEvent.AppJoinedService.class).distinctHosts());
    assertTrue(stricter.state().distinctHosts());
    assertEquals(Set.of("blog", "shop"), stricter.state().services());
  }

  @Test
  void aDifferentDefinitionIsAConflict() {
    define("shop", 2, false);

    var other = define("blog", 3, false);
    assertRejected(other.reply(), Kind.CONFLICT, "app " + appId + " is already defined differently (by shop)");
    assertTrue(other.hasNoEvents());
    assertEquals(2, other.state().replicas());
    assertEquals(Set.of("shop"), other.state().services());
  }

  @Test
  void anUnknownApplicationIsNotFound() {
    var s = start("shop");
    assertRejected(s.reply(), Kind.NOT_FOUND, "app " + appId + " not found");
    assertTrue(s.hasNoEvents());
    var t = stop("shop");
    assertRejected(t.reply(), Kind.NOT_FOUND, "app " + appId + " not found");
    assertTrue(t.hasNoEvents());
    assertTrue(vmChanged(1, VmPhase.RUNNING, "h1").hasNoEvents());
    replica(1).expectNoMessage(QUIET);
  }

  // ---- start and replicas

  @Test
  void startCreatesAndStartsEveryReplicaApartFromEachOther() {
    define("shop", 2, true);

    var result = start("shop");
    var event = result.eventOfType(AppEvent.AppStartRequested.class);
    assertEquals("shop", event.by());
    assertEquals(Set.of("shop"), success(result.reply()).wantedBy());
    assertEquals("starting", result.state().status());

    for (int i = 1; i <= 2; i++) {
      var create = replica(i).expectMessageClass(VmEntity.Create.class);
      assertEquals(SPEC, create.spec());
      assertEquals(appId, create.appId());
      assertEquals(Set.of(appId), create.distinctFromApps());
      assertEquals("alice", create.who());
      assertEquals("alice", replica(i).expectMessageClass(VmEntity.Start.class).who());
    }
    replica(3).expectNoMessage(QUIET);
    assertEquals(new ServiceEntity.AppObserved(appId, "starting", 0, 2), observedBy("shop"));
  }

  @Test
  void withoutTheDistinctHostsRuleReplicasMayShareHosts() {
    define("shop", 1, false);
    start("shop");
    assertEquals(Set.of(), replica(1).expectMessageClass(VmEntity.Create.class).distinctFromApps());
  }

  @Test
  void replicaChangesArePersistedOnlyWhenTheirBucketChanges() {
    startedByShop();

    var placed = vmChanged(1, VmPhase.PLACED, "h1");
    var event = placed.eventOfType(AppEvent.AppReplicaChanged.class);
    assertEquals(appId + "-1", event.vmId());
    assertEquals(VmPhase.PLACED, event.phase());
    assertEquals("h1", event.hostId());
    assertEquals(new ServiceEntity.AppObserved(appId, "starting", 0, 2), observedBy("shop"));

    // placed -> copying -> booting are all "starting" on the same host: nothing to record
    assertTrue(vmChanged(1, VmPhase.COPYING, "h1").hasNoEvents());
    assertTrue(vmChanged(1, VmPhase.BOOTING, "h1").hasNoEvents());
    refs.serviceProbe("shop").expectNoMessage(QUIET);

    var running = vmChanged(1, VmPhase.RUNNING, "h1");
    assertEquals(VmPhase.RUNNING, running.eventOfType(AppEvent.AppReplicaChanged.class).phase());
    assertEquals("degraded", running.state().status());
    assertEquals(1, running.state().running());
    assertEquals(new ServiceEntity.AppObserved(appId, "degraded", 1, 2), observedBy("shop"));

    vmChanged(2, VmPhase.RUNNING, "h2");
    assertEquals(new ServiceEntity.AppObserved(appId, "running", 2, 2), observedBy("shop"));
    assertEquals("running", app.getState().status());

    // the same bucket on another host is a move, and is recorded
    var moved = vmChanged(2, VmPhase.RUNNING, "h3");
    assertEquals("h3", moved.eventOfType(AppEvent.AppReplicaChanged.class).hostId());
  }

  @Test
  void everyServiceOfTheApplicationIsTold() {
    define("shop", 1, false);
    define("blog", 1, false);
    start("shop");
    assertEquals("starting", observedBy("shop").status());
    assertEquals("starting", observedBy("blog").status());

    vmChanged(1, VmPhase.RUNNING, "h1");
    assertEquals(new ServiceEntity.AppObserved(appId, "running", 1, 1), observedBy("shop"));
    assertEquals(new ServiceEntity.AppObserved(appId, "running", 1, 1), observedBy("blog"));
  }

  @Test
  void startingAgainRestartsOnlyReplicasThatDoNotRun() {
    startedByShop();
    vmChanged(1, VmPhase.RUNNING, "h1");
    vmChanged(2, VmPhase.FAILED, null);
    observedBy("shop");
    observedBy("shop");

    var again = start("shop");
    assertTrue(again.hasNoEvents());
    success(again.reply());
    // the failed replica's VM exists: it is started, not created again
    replica(2).expectMessageClass(VmEntity.Start.class);
    replica(2).expectNoMessage(QUIET);
    replica(1).expectNoMessage(QUIET);
  }

  // ---- stop

  @Test
  void replicasKeepRunningUntilTheLastServiceStopsTheApplication() {
    define("shop", 2, false);
    define("blog", 2, false);
    start("shop");
    start("blog");
    vmChanged(1, VmPhase.RUNNING, "h1");
    vmChanged(2, VmPhase.RUNNING, "h2");
    // create and start for shop, and again for blog as no replica had reported yet
    for (int i = 1; i <= 2; i++) replica(i).receiveSeveralMessages(4);

    var byShop = stop("shop");
    assertEquals("shop", byShop.eventOfType(AppEvent.AppStopRequested.class).by());
    assertEquals(Set.of("blog"), success(byShop.reply()).wantedBy());
    assertEquals("running", byShop.state().status());
    replica(1).expectNoMessage(QUIET);
    replica(2).expectNoMessage(Duration.ZERO);

    // a service that does not want it running has nothing to stop
    var byShopAgain = stop("shop");
    assertTrue(byShopAgain.hasNoEvents());

    var byBlog = stop("blog");
    assertEquals("blog", byBlog.eventOfType(AppEvent.AppStopRequested.class).by());
    assertEquals(Set.of(), byBlog.state().wantedBy());
    assertEquals("stopping", byBlog.state().status());
    for (int i = 1; i <= 2; i++) {
      assertEquals("alice", replica(i).expectMessageClass(VmEntity.Stop.class).who());
    }

    vmChanged(1, VmPhase.STOPPED, null);
    var last = vmChanged(2, VmPhase.STOPPED, null);
    assertEquals("stopped", last.state().status());
    assertEquals(0, last.state().running());
  }

  @Test
  void recoveryRebuildsTheApplication() {
    startedByShop();
    vmChanged(1, VmPhase.RUNNING, "h1");
    AppState before = app.getState();

    var restarted = app.restart();
    assertEquals(before, restarted.state());
    assertEquals("degraded", restarted.state().status());
    assertInstanceOf(AppState.Replica.class, restarted.state().vms().get(appId + "-1"));
  }

  @Test
  void getAnswersTheState() {
    define("shop", 1, false);
    var get = app.<AppState>runCommand(AppEntity.Get::new);
    assertEquals(get.state(), get.reply());
    assertTrue(get.hasNoEvents());
  }
}
