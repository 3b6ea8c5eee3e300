package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.adapters.simulated.SimulatedHypervisor;
import io.actorvmm.api.AvmNode;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.move.MoveEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cold moves in a four-node cluster in one JVM on one H2 journal: two seed nodes (they coordinate
 * moves) and two host nodes (h1, h2). A move is held after each of its steps in turn, the seed node
 * coordinating it is stopped, and the move resumes on the other seed. Afterwards: exactly one running
 * copy, the data only on the target, every step's event exactly once. Then: a failed start on the
 * target falls back to the source with its data; a pinned VM and bad input are refused with nothing
 * persisted; a live move records its downtime, and a live move too resumes after its coordinator stops
 * at each of its steps, the VM running throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MoveResumeTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  static {
    System.setProperty("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
  }

  private java.nio.file.Path dir;
  private final NodeSettings[] seedSettings = new NodeSettings[2];
  private final AvmNode[] seeds = new AvmNode[2];
  private AvmNode h1Node;
  private AvmNode h2Node;
  private Api api;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("moves");
    int seedPort = Ports.free();
    int seed2Port = Ports.free();
    List<String> seedList = List.of("127.0.0.1:" + seedPort, "127.0.0.1:" + seed2Port);
    seedSettings[0] = NodeSettings.local(seedPort, Ports.free(), dir).withRoles(List.of("seed"), seedList);
    seedSettings[1] = NodeSettings.local(seed2Port, Ports.free(), dir).withRoles(List.of("seed"), seedList);
    seeds[0] = AvmNode.start(seedSettings[0]);
    seeds[1] = AvmNode.start(seedSettings[1]);
    h1Node = AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seedList)
        .withHosts(List.of("h1")));
    h2Node = AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seedList)
        .withHosts(List.of("h2")));
    api = new Api(h1Node.apiPort(), "mia");
    TestNodes.awaitHostsUp(api, "h1", "h2");
    awaitFourMembersUp();
  }

  @AfterAll
  void stop() {
    System.clearProperty(MoveEntity.HOLD_PROPERTY);
    TestNodes.closeAll(h2Node, h1Node, seeds[1], seeds[0]);
    TestNodes.deleteQuietly(dir);
  }

  private String runningHost(String vm) {
    JsonNode v = Await.until(vm + " running", WAIT, () -> api.get("/api/vms/" + vm).json(),
        j -> j.path("phase").asText().equals("running") && !j.path("hostId").isMissingNode());
    return v.path("hostId").asText();
  }

  private void assertSettledOn(String vm, String host, String other) {
    Moves.assertSettledOn(api, vm, host, other, WAIT);
  }

  private JsonNode onHost(String host, String vm) {
    return Moves.onHost(api, host, vm, WAIT);
  }

  /** Waits until the restarted seed has joined: a seed that found no other seed would start a cluster of its own. */
  private void awaitFourMembersUp() {
    Await.until("four members up", WAIT, () -> api.get("/api/cluster").json(), j -> j.path("members").size() == 4
        && Api.list(j.path("members")).stream().allMatch(m -> m.path("status").asText().equals("Up")));
  }

  private int seedIndexOf(String address) {
    for (int i = 0; i < 2; i++) {
      if (address.startsWith("pekko://avm@127.0.0.1:" + seedSettings[i].port() + " ")) return i;
    }
    throw new AssertionError("move held on no seed node: " + address);
  }

  /**
   * Moves {@code vm} back and forth once per hold: held right after "started" and after each of
   * {@code steps} in turn, the coordinating seed stopped there, the move resumed on the other seed; then
   * the move completed with every step once, the VM settled on the target, and the seed started again.
   */
  private void moveWithTheCoordinatorStoppedAfterEachStep(String vm, List<String> steps, boolean live) {
    List<String> holds = new ArrayList<>(List.of("started"));
    holds.addAll(steps);
    for (String hold : holds) {
      String from = runningHost(vm);
      String to = from.equals("h1") ? "h2" : "h1";
      MoveEntity.clearHeld();
      System.setProperty(MoveEntity.HOLD_PROPERTY, hold);
      String held;
      long moveId;
      try {
        Api.Response asked = api.postJson("/api/vms/" + vm + "/move", Map.of("to", to, "live", live,
            "reason", "test " + hold));
        assertEquals(202, asked.status(), asked::toString);
        moveId = asked.json().path("moveId").asLong();
        held = Await.until("move held after " + hold, WAIT, () -> MoveEntity.heldOn(vm),
            h -> h != null && h.endsWith(" " + hold));
      } finally {
        System.clearProperty(MoveEntity.HOLD_PROPERTY);
      }
      int i = seedIndexOf(held);
      // the coordinator's node stops (its actor system terminates); the move must resume on the other seed
      seeds[i].close();
      JsonNode move = Await.until("move " + moveId + " completed after the stop at " + hold, WAIT,
          () -> api.get("/api/vms/" + vm + "/move").json(),
          j -> j.path("moveId").asLong() == moveId && !j.path("status").asText().equals("active"));
      assertEquals("completed", move.path("status").asText(), move::toString);
      assertEquals(steps, Api.list(move.path("steps")).stream().map(JsonNode::asText).toList(), move::toString);
      assertSettledOn(vm, to, from);
      assertEquals(Moves.completed(steps), Await.until("move events in the journal", WAIT,
          () -> Moves.events(api, vm, moveId), e -> e.contains("MoveEnded")),
          "every step's event exactly once, in order (held after " + hold + ")");
      seeds[i] = AvmNode.start(seedSettings[i]);
      awaitFourMembersUp();
    }
  }

  @Test
  @Order(1)
  void aMoveResumesAfterTheCoordinatorStopsAtEveryStep() {
    assertEquals(201, api.post("/api/vms", Api.vm("mv-1", 1, 256)).status());
    api.post("/api/vms/mv-1/start", null).ok();
    moveWithTheCoordinatorStoppedAfterEachStep("mv-1", Moves.COLD_STEPS, false);
    // the VM's own history shows the moves too
    List<String> vmEvents = api.eventNames("vm:mv-1");
    int moves = Moves.COLD_STEPS.size() + 1;
    assertEquals(moves, vmEvents.stream().filter("VmMoveStarted"::equals).count(), vmEvents::toString);
    assertEquals(moves, vmEvents.stream().filter("VmMoved"::equals).count(), vmEvents::toString);
  }

  @Test
  @Order(2)
  void aFailedStartOnTheTargetFallsBackToTheSourceWithItsData() {
    assertEquals(201, api.post("/api/vms", Api.vm("mv-2", 1, 256)).status());
    api.post("/api/vms/mv-2/start", null).ok();
    String from = runningHost("mv-2");
    String to = from.equals("h1") ? "h2" : "h1";
    AvmNode target = to.equals("h1") ? h1Node : h2Node;
    ((SimulatedHypervisor) target.runtime().adapter(to)).failNextStart("mv-2");
    api.postJson("/api/vms/mv-2/move", Map.of("to", to)).ok();
    JsonNode move = Await.until("move of mv-2 ended", WAIT, () -> api.get("/api/vms/mv-2/move").json(),
        j -> !j.path("status").asText().equals("active"));
    assertEquals("failed", move.path("status").asText(), move::toString);
    assertTrue(move.path("fallback").asText().contains("injected fault"), move::toString);
    assertEquals(List.of("vm-claimed", "source-stopped", "data-exported", "data-imported", "vm-assigned",
        "target-discarded", "source-restarted"), Api.list(move.path("steps")).stream().map(JsonNode::asText).toList());
    assertSettledOn("mv-2", from, to);
    JsonNode vm = api.get("/api/vms/mv-2").ok();
    assertTrue(vm.path("reason").asText().contains("failed"), vm::toString);
  }

  @Test
  @Order(3)
  void pinnedVmsAndBadInputAreRefusedWithNothingPersisted() {
    String pinned = Api.write(new java.util.LinkedHashMap<>(Map.of("vmId", "mv-pinned", "cpuCores", 1, "memoryMiB", 128,
        "runtime", "simulated", "relocatable", false)));
    assertEquals(201, api.post("/api/vms", pinned).status());
    api.post("/api/vms/mv-pinned/start", null).ok();
    String host = runningHost("mv-pinned");
    String line = api.post("/api/vms/mv-pinned/move", null).assertError(409);
    assertTrue(line.contains("pinned") && line.contains(host), line);
    assertEquals(List.of(), api.history("move:mv-pinned"), "a refused move persists nothing");
    api.get("/api/vms/mv-pinned/move").assertError(404);
    api.post("/api/vms/nope/move", null).assertError(404);
    api.postJson("/api/vms/mv-2/move", Map.of("to", "no-such-host")).assertError(404);
    String here = runningHost("mv-2");
    api.postJson("/api/vms/mv-2/move", Map.of("to", here)).assertError(400);
    api.post("/api/vms/mv-2/move", "{not json").assertError(400);
    api.postJson("/api/vms/mv-2/move", Map.of("to", "Bad Id!")).assertError(400);
    assertNotNull(api.get("/api/vms/mv-2/move").ok());
  }

  @Test
  @Order(4)
  void aLiveMoveKeepsTheVmRunningAndRecordsTheDowntimeAndAFailedOneKeepsItOnTheSource() {
    assertEquals(201, api.post("/api/vms", Api.vm("mv-live", 1, 256)).status());
    api.post("/api/vms/mv-live/start", null).ok();
    String from = runningHost("mv-live");
    String to = from.equals("h1") ? "h2" : "h1";
    api.postJson("/api/vms/mv-live/move", Map.of("to", to, "live", true)).ok();
    JsonNode move = Await.until("live move ended", WAIT, () -> api.get("/api/vms/mv-live/move").json(),
        j -> !j.path("status").asText().equals("active"));
    assertEquals("completed", move.path("status").asText(), move::toString);
    assertEquals(Moves.LIVE_STEPS, Api.list(move.path("steps")).stream().map(JsonNode::asText).toList());
    assertEquals(5, move.path("downtimeMillis").asLong(), move::toString);
    assertSettledOn("mv-live", to, from);
    // the VM never stopped: no phase but running in its history since it first ran
    List<String> phases = new ArrayList<>();
    for (JsonNode e : api.history("vm:mv-live")) {
      if (e.path("event").asText().equals("VmMoveProgressed")) phases.add(e.path("detail").path("phase").asText());
    }
    assertTrue(phases.stream().allMatch("RUNNING"::equals), phases::toString);

    AvmNode source = to.equals("h1") ? h1Node : h2Node;
    ((SimulatedHypervisor) source.runtime().adapter(to)).failNextMigration("mv-live");
    api.postJson("/api/vms/mv-live/move", Map.of("to", from, "live", true)).ok();
    JsonNode failed = Await.until("failed live move ended", WAIT, () -> api.get("/api/vms/mv-live/move").json(),
        j -> j.path("moveId").asLong() == 2 && !j.path("status").asText().equals("active"));
    assertEquals("failed", failed.path("status").asText(), failed::toString);
    assertEquals(List.of("vm-claimed", "target-prepared", "target-discarded"),
        Api.list(failed.path("steps")).stream().map(JsonNode::asText).toList());
    assertSettledOn("mv-live", to, from);
  }

  @Test
  @Order(5)
  void aLiveMoveResumesAfterTheCoordinatorStopsAtEveryStep() {
    assertEquals(201, api.post("/api/vms", Api.vm("mv-live-2", 1, 256)).status());
    api.post("/api/vms/mv-live-2/start", null).ok();
    moveWithTheCoordinatorStoppedAfterEachStep("mv-live-2", Moves.LIVE_STEPS, true);
    // it kept running throughout: no phase but running in its history once it first ran
    List<String> phases = new ArrayList<>();
    for (JsonNode e : api.history("vm:mv-live-2")) {
      if (e.path("event").asText().equals("VmMoveProgressed")) phases.add(e.path("detail").path("phase").asText());
    }
    assertTrue(phases.stream().allMatch("RUNNING"::equals), phases::toString);
  }
}
