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

  /** Tells the scheduler about an Up host with {@code used} reserved by VM {@code busy-<id>} of app "other". */
  private void hostUp(String id, Resources used) {
    Map<String, String> vms = used.equals(Resources.ZERO) ? Map.of() : Map.of("busy-" + id, "other");
    scheduler.tell(new Scheduler.HostUpdated(new HostCandidate(spec(id), HostStatus.UP, used, vms)));
  }

  private TestProbe<Scheduler.PlaceResult> place(String vmId, String appId, Set<String> apart) {
    TestProbe<Scheduler.PlaceResult> reply = testKit.createTestProbe();
    scheduler.tell(new Scheduler.Place(vmId, SPEC, appId, apart, "alice", reply.ref()));
    return reply;
  }

  /** The reservations asked of each host within {@code d}, by host id. */
  private Map<String, List<HostEntity.Reserve>> reservesAt(List<String> hosts, Duration d) {
    Map<String, List<HostEntity.Reserve>> out = new HashMap<>();
    for (String h : hosts) {
      for (HostEntity.Command c : RuntimeTestKit.drain(refs.hostProbe(h), d)) {
        if (c instanceof HostEntity.Reserve r) out.computeIfAbsent(h, k -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }

  /** The host accepts {@code r}: it answers its state with the reservation. */
  private static void accept(String hostId, HostEntity.Reserve r) {
    r.replyTo().tell(StatusReply.success(Specs.hostState(spec(hostId), r.resources(), r.vmId(), r.appId())));
  }

  // ---- tests

  @Test
  void concurrentReplicasWithAntiAffinityLandOnDifferentHosts() {
    for (String h : List.of("h1", "h2", "h3")) hostUp(h, Resources.ZERO);

    // both placements are decided before any host answers: the tentative hold must keep them apart
    var first = place("web-1", "web", Set.of("web"));
    var second = place("web-2", "web", Set.of("web"));

    var reserves = reservesAt(List.of("h1", "h2", "h3"), Duration.ofMillis(500));
    assertEquals(2, reserves.size(), "two different hosts are asked: " + reserves);
    Map<String, String> hostOfVm = new HashMap<>();
    reserves.forEach((host, rs) -> {
      assertEquals(1, rs.size(), "one reservation per host");
      HostEntity.Reserve r = rs.get(0);
      assertEquals("web", r.appId());
      assertEquals(Set.of("web"), r.distinctFromApps());
      assertEquals(SPEC.demand(), r.resources());
      assertEquals("alice", r.who());
      hostOfVm.put(r.vmId(), host);
      accept(host, r);
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
  void aThirdReplicaBeyondTheHostsIsRefusedWithTheReason() {
    hostUp("h1", Resources.ZERO);
    var first = place("web-1", "web", Set.of("web"));
    accept("h1", refs.hostProbe("h1").expectMessageClass(HostEntity.Reserve.class));
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

    var atH1 = refs.hostProbe("h1").expectMessageClass(HostEntity.Reserve.class);
    assertEquals("vm-1", atH1.vmId());
    atH1.replyTo().tell(StatusReply.error(Rejection.conflict("host h1 lacks memory")));
    // its view of h1 was stale: it asks h1 for the truth
    assertSame(HostEntity.Publish.INSTANCE, refs.hostProbe("h1").expectMessageClass(HostEntity.Publish.class));

    var atH2 = refs.hostProbe("h2").expectMessageClass(HostEntity.Reserve.class);
    assertEquals("vm-1", atH2.vmId());
    accept("h2", atH2);

    var placed = result.receiveMessage();
    assertTrue(placed.reserved());
    assertEquals("h2", placed.decision().chosenHost());
    refs.hostProbe("h1").expectNoMessage(QUIET);
  }

  @Test
  void aHostFoundDownIsAvoidedWithoutAskingItAgain() {
    hostUp("h1", new Resources(4, 8192, 0, 0));
    hostUp("h2", Resources.ZERO);

    var result = place("vm-1", null, Set.of());
    refs.hostProbe("h1").expectMessageClass(HostEntity.Reserve.class).replyTo()
        .tell(StatusReply.error(Rejection.conflict("host h1 is down")));
    accept("h2", refs.hostProbe("h2").expectMessageClass(HostEntity.Reserve.class));
    assertEquals("h2", result.receiveMessage().decision().chosenHost());
    refs.hostProbe("h1").expectNoMessage(QUIET);

    // h1 stays out of later decisions until it reports again
    var next = place("vm-2", null, Set.of());
    accept("h2", refs.hostProbe("h2").expectMessageClass(HostEntity.Reserve.class));
    assertEquals("h2", next.receiveMessage().decision().chosenHost());
    refs.hostProbe("h1").expectNoMessage(QUIET);
  }

  @Test
  void withoutHostsNothingIsReserved() {
    var result = place("vm-1", null, Set.of());
    var answer = result.receiveMessage();
    assertFalse(answer.reserved());
    assertEquals("no host fits: no hosts are registered", answer.decision().summary());
  }
}
