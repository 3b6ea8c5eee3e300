package io.actorvmm.runtime.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Rejection;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.HostCandidate;
import io.actorvmm.domain.placement.PlacementEngine;
import io.actorvmm.runtime.ProbeRefs;
import io.actorvmm.runtime.RuntimeTestKit;
import io.actorvmm.runtime.Specs;
import io.actorvmm.runtime.host.HostEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler: decides on its view of the hosts, asks the chosen host to reserve, and retries when refused. */
class SchedulerTest {

  private static final Duration QUIET = Duration.ofMillis(200);
  private static final VmSpec SPEC = Specs.vm(2, 2048);

  private static ActorTestKit testKit;

  private ProbeRefs refs;
  private ActorRef<Scheduler.Command> scheduler;

  @BeforeAll
  static void startSystem() {
    testKit = RuntimeTestKit.create("SchedulerTest");
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newScheduler() {
    refs = new ProbeRefs(testKit);
    scheduler = testKit.spawn(Scheduler.create(refs, PlacementEngine.standard()));
  }

  // ---- helpers

  private static HostSpec spec(String id) {
    return Specs.host(id, 8, 16384);
  }

  /** Tells the scheduler about an Up host with {@code used} reserved by one VM of app "other". */
  private void hostUp(String id, Resources used) {
    HostCandidate h = used.equals(Resources.ZERO) ? HostCandidate.empty(spec(id), HostStatus.UP)
        : new HostCandidate(spec(id), HostStatus.UP, used, Map.of("other", 1), 1);
    scheduler.tell(new Scheduler.HostUpdated(h));
  }

  private TestProbe<Scheduler.PlaceResult> place(String vmId, String appId, Set<String> apart) {
    TestProbe<Scheduler.PlaceResult> reply = testKit.createTestProbe();
    scheduler.tell(new Scheduler.Place(vmId, SPEC, appId, apart, "alice", reply.ref()));
    return reply;
  }

  /** The reservation batches asked of each host within {@code d}, by host id. */
  private Map<String, List<HostEntity.ReserveBatch>> batchesAt(List<String> hosts, Duration d) {
    Map<String, List<HostEntity.ReserveBatch>> out = new HashMap<>();
    for (String h : hosts) {
      for (HostEntity.Command c : RuntimeTestKit.drain(refs.hostProbe(h), d)) {
        if (c instanceof HostEntity.ReserveBatch r) out.computeIfAbsent(h, k -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }

  private HostEntity.ReserveBatch batchAt(String hostId) {
    return refs.hostProbe(hostId).expectMessageClass(HostEntity.ReserveBatch.class);
  }

  private static long revision = 1;

  /** The host accepts the whole batch: it answers its view with every item reserved on top of {@code before}. */
  private static void accept(String hostId, HostEntity.ReserveBatch b, Resources before) {
    answer(hostId, b, before, Map.of());
  }

  /** The host answers {@code b}, refusing the items in {@code refused}. */
  private static void answer(String hostId, HostEntity.ReserveBatch b, Resources before, Map<String, String> refused) {
    HostCandidate h = before.equals(Resources.ZERO) ? HostCandidate.empty(spec(hostId), HostStatus.UP)
        : new HostCandidate(spec(hostId), HostStatus.UP, before, Map.of("other", 1), 1);
    for (HostEntity.ReserveItem i : b.items()) if (!refused.containsKey(i.vmId())) h = h.plus(i.appId(), i.resources());
    b.replyTo().tell(new HostEntity.BatchReserved(hostId, b.batchId(), revision++, h, refused));
  }

  // ---- tests

  @Test
  void concurrentReplicasWithAntiAffinityLandOnDifferentHosts() {
    for (String h : List.of("h1", "h2", "h3")) hostUp(h, Resources.ZERO);

    // both placements are decided before any host answers: the tentative hold must keep them apart
    var first = place("web-1", "web", Set.of("web"));
    var second = place("web-2", "web", Set.of("web"));

    var batches = batchesAt(List.of("h1", "h2", "h3"), Duration.ofMillis(500));
    assertEquals(2, batches.size(), "two different hosts are asked: " + batches);
    Map<String, String> hostOfVm = new HashMap<>();
    batches.forEach((host, bs) -> {
      assertEquals(1, bs.size(), "one batch per host");
      HostEntity.ReserveBatch b = bs.get(0);
      assertEquals(1, b.items().size(), "one reservation per host");
      HostEntity.ReserveItem r = b.items().get(0);
      assertEquals("web", r.appId());
      assertEquals(Set.of("web"), r.distinctFromApps());
      assertEquals(SPEC.demand(), r.resources());
      assertEquals("alice", b.who());
      hostOfVm.put(r.vmId(), host);
      accept(host, b, Resources.ZERO);
    });
    assertEquals(Set.of("web-1", "web-2"), hostOfVm.keySet());

    var r1 = first.receiveMessage();
    var r2 = second.receiveMessage();
    assertTrue(r1.reserved());
    assertTrue(r2.reserved());
    assertEquals(hostOfVm.get("web-1"), r1.decision().chosenHost());
    assertEquals(hostOfVm.get("web-2"), r2.decision().chosenHost());
    assertNotEquals(r1.decision().chosenHost(), r2.decision().chosenHost());
    assertTrue(r1.decision().summary().startsWith("placed on " + r1.decision().chosenHost()));
  }

  @Test
  void placementsDecidedWhileABatchIsInFlightGoAsTheNextBatch() {
    hostUp("h1", Resources.ZERO);
    var p1 = place("vm-1", null, Set.of());
    var first = batchAt("h1");
    assertEquals(List.of("vm-1"), first.items().stream().map(HostEntity.ReserveItem::vmId).toList());
    // while h1 persists vm-1, three more are decided for it (packing) and held
    var p2 = place("vm-2", null, Set.of());
    var p3 = place("vm-3", null, Set.of());
    var p4 = place("vm-4", null, Set.of());
    refs.hostProbe("h1").expectNoMessage(QUIET);
    accept("h1", first, Resources.ZERO);
    assertTrue(p1.receiveMessage().reserved());

    var second = batchAt("h1");
    assertEquals(List.of("vm-2", "vm-3", "vm-4"), second.items().stream().map(HostEntity.ReserveItem::vmId).toList());
    assertNotEquals(first.batchId(), second.batchId());
    accept("h1", second, SPEC.demand());
    for (var p : List.of(p2, p3, p4)) {
      var r = p.receiveMessage();
      assertTrue(r.reserved());
      assertEquals("h1", r.decision().chosenHost());
    }
  }

  @Test
  void heldCapacityIsNeverPromisedTwice() {
    // h1 fits exactly 4 VMs of SPEC (8 cpu, 16 GiB); six placements decided at once: 4 to h1, then none fits
    hostUp("h1", Resources.ZERO);
    List<TestProbe<Scheduler.PlaceResult>> results = new ArrayList<>();
    for (int i = 1; i <= 6; i++) results.add(place("vm-" + i, null, Set.of()));
    var b1 = batchAt("h1");
    assertEquals(1, b1.items().size());
    accept("h1", b1, Resources.ZERO);
    var b2 = batchAt("h1");
    assertEquals(3, b2.items().size(), "the host is full with the first four: " + b2.items());
    accept("h1", b2, SPEC.demand());
    int placed = 0;
    int refused = 0;
    for (var r : results) {
      var answer = r.receiveMessage();
      if (answer.reserved()) placed++;
      else {
        refused++;
        assertEquals("no host fits: 1 host, 1 lacked cpu", answer.decision().summary());
      }
    }
    assertEquals(4, placed);
    assertEquals(2, refused);
  }

  @Test
  void aThirdReplicaBeyondTheHostsIsRefusedWithTheReason() {
    hostUp("h1", Resources.ZERO);
    var first = place("web-1", "web", Set.of("web"));
    accept("h1", batchAt("h1"), Resources.ZERO);
    assertTrue(first.receiveMessage().reserved());

    var second = place("web-2", "web", Set.of("web"));
    var refused = second.receiveMessage();
    assertFalse(refused.reserved());
    assertNull(refused.decision().chosenHost());
    assertEquals("no host fits: 1 host, 1 broke anti-affinity of web", refused.decision().summary());
    refs.hostProbe("h1").expectNoMessage(QUIET);
  }

  @Test
  void aHostRefusingTheReservationMakesTheSchedulerTryElsewhere() {
    // h1 looks fuller, so packing prefers it
    hostUp("h1", new Resources(4, 8192, 0, 0));
    hostUp("h2", Resources.ZERO);

    var result = place("vm-1", null, Set.of());

    var atH1 = batchAt("h1");
    assertEquals("vm-1", atH1.items().get(0).vmId());
    // h1 is in truth full: its answer carries its true view, which the scheduler takes
    atH1.replyTo().tell(new HostEntity.BatchReserved("h1", atH1.batchId(), revision++,
        new HostCandidate(spec("h1"), HostStatus.UP, new Resources(8, 16384, 0, 0), Map.of("other", 2), 2),
        Map.of("vm-1", "host h1 lacks memory")));

    var atH2 = batchAt("h2");
    assertEquals("vm-1", atH2.items().get(0).vmId());
    accept("h2", atH2, Resources.ZERO);

    var placed = result.receiveMessage();
    assertTrue(placed.reserved());
    assertEquals("h2", placed.decision().chosenHost());
    refs.hostProbe("h1").expectNoMessage(QUIET);
  }

  @Test
  void aHostFoundDownIsAvoidedUntilItReportsAgain() {
    hostUp("h1", new Resources(4, 8192, 0, 0));
    hostUp("h2", Resources.ZERO);

    var result = place("vm-1", null, Set.of());
    var atH1 = batchAt("h1");
    atH1.replyTo().tell(new HostEntity.BatchReserved("h1", atH1.batchId(), revision++,
        new HostCandidate(spec("h1"), HostStatus.DOWN, new Resources(4, 8192, 0, 0), Map.of("other", 1), 1),
        Map.of("vm-1", "host h1 is down")));
    accept("h2", batchAt("h2"), Resources.ZERO);
    assertEquals("h2", result.receiveMessage().decision().chosenHost());
    refs.hostProbe("h1").expectNoMessage(QUIET);

    // h1 stays out of later decisions until it reports again
    var next = place("vm-2", null, Set.of());
    accept("h2", batchAt("h2"), SPEC.demand());
    assertEquals("h2", next.receiveMessage().decision().chosenHost());
    refs.hostProbe("h1").expectNoMessage(QUIET);

    hostUp("h1", new Resources(6, 12288, 0, 0));
    var third = place("vm-3", null, Set.of());
    accept("h1", batchAt("h1"), new Resources(6, 12288, 0, 0));
    assertEquals("h1", third.receiveMessage().decision().chosenHost());
  }

  @Test
  void aStaleUpdateDoesNotUndoANewerAnswer() {
    hostUp("h1", Resources.ZERO);
    var p1 = place("vm-1", null, Set.of());
    var b1 = batchAt("h1");
    accept("h1", b1, Resources.ZERO);
    assertTrue(p1.receiveMessage().reserved());
    // an update from before the batch arrives late: it must not make the host look empty again
    scheduler.tell(new Scheduler.HostUpdated(HostCandidate.empty(spec("h1"), HostStatus.UP), -1, 0));
    // 3 more fit (4 in all); a 5th would over-commit if the stale update had been taken
    List<TestProbe<Scheduler.PlaceResult>> more = new ArrayList<>();
    for (int i = 2; i <= 5; i++) more.add(place("vm-" + i, null, Set.of()));
    Resources used = SPEC.demand();
    int reserved = 0;
    while (reserved < 3) {
      var b = batchAt("h1");
      accept("h1", b, used);
      for (var i : b.items()) used = used.plus(i.resources());
      reserved += b.items().size();
    }
    assertEquals(3, reserved);
    for (int i = 0; i < 3; i++) assertTrue(more.get(i).receiveMessage().reserved());
    var fifth = more.get(3).receiveMessage();
    assertFalse(fifth.reserved());
    assertEquals("no host fits: 1 host, 1 lacked cpu", fifth.decision().summary());
    refs.hostProbe("h1").expectNoMessage(QUIET);
  }

  @Test
  void pendingVmsAreAskedToRetryWhenAHostGainsRoom() {
    List<String> pending = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("vm-p1", "vm-p2"));
    ActorRef<Scheduler.Command> s = testKit.spawn(Scheduler.create(refs, PlacementEngine.standard(), () -> pending));
    HostCandidate full = new HostCandidate(spec("h9"), HostStatus.UP, new Resources(8, 16384, 0, 0), Map.of("x", 4), 4);
    s.tell(new Scheduler.HostUpdated(full, -1, 1));
    // a new Up host is room: both Pending VMs are asked, once
    for (String vm : pending) refs.vmProbe(vm).expectMessage(io.actorvmm.runtime.vm.VmEntity.RetryPlacement.INSTANCE);
    refs.vmProbe("vm-p1").expectNoMessage(QUIET);
    // the same host, still full: nothing
    s.tell(new Scheduler.HostUpdated(full, -1, 2));
    refs.vmProbe("vm-p1").expectNoMessage(Duration.ofMillis(600));
    // a reservation released: room again
    s.tell(new Scheduler.HostUpdated(full.minus("x", SPEC.demand()), -1, 3));
    refs.vmProbe("vm-p1").expectMessage(io.actorvmm.runtime.vm.VmEntity.RetryPlacement.INSTANCE);
    // a host going down is no room
    s.tell(new Scheduler.HostUpdated(full.withStatus(HostStatus.DOWN), -1, 4));
    refs.vmProbe("vm-p2").expectMessage(io.actorvmm.runtime.vm.VmEntity.RetryPlacement.INSTANCE);
    refs.vmProbe("vm-p2").expectNoMessage(Duration.ofMillis(600));
  }

  @Test
  void withoutHostsNothingIsReserved() {
    var result = place("vm-1", null, Set.of());
    var answer = result.receiveMessage();
    assertFalse(answer.reserved());
    assertEquals("no host fits: no hosts are registered", answer.decision().summary());
  }
}
