package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.simulated.SimulatedHypervisor;
import io.actorvmm.api.AvmNode;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.move.MoveEntity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Cold moves whose source or target host node stops mid-move, in one JVM: a seed node (it coordinates
 * the moves) and two host nodes (h1, h2) whose simulated hosts keep their VMs on disk, as a real host's
 * VMs and disks outlive a crash of the control program. A move is held after each of its steps in turn
 * (through a hold file); the source's or the target's node stops (its actor system terminates, the host
 * goes Down), starts again with a fresh control program, and the move resumes from its last step.
 * Afterwards: the move completed, exactly one running copy, the data only on the target, the
 * reservations only on the target, every step's event exactly once. Then: a node that stops during the
 * copy loses the half-imported data and the move imports it again; and a VM failed over elsewhere while
 * its host's node was away is stopped on that host when the node comes back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MoveHostCrashTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final List<String> COLD_STEPS = Moves.COLD_STEPS;

  static {
    System.setProperty("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
  }

  private Path dir;
  private Path holdFile;
  private AvmNode seed;
  private final Map<String, NodeSettings> hostSettings = new HashMap<>();
  private final Map<String, AvmNode> hostNodes = new HashMap<>();
  private Api api;

  @BeforeAll
  void start() throws IOException {
    dir = TestNodes.tempDir("move-host-crash");
    holdFile = dir.resolve("hold");
    Files.writeString(holdFile, "");
    System.setProperty(MoveEntity.HOLD_PROPERTY, "@" + holdFile);
    int seedPort = Ports.free();
    List<String> seeds = List.of("127.0.0.1:" + seedPort);
    seed = AvmNode.start(NodeSettings.local(seedPort, Ports.free(), dir).withRoles(List.of("seed"), seeds));
    for (String h : List.of("h1", "h2")) {
      NodeSettings s = NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seeds)
          .withHosts(List.of(h)).withDelays(Duration.ofMillis(300), Duration.ZERO).withKeepVmsRunning(true);
      hostSettings.put(h, s);
      hostNodes.put(h, AvmNode.start(s));
    }
    api = new Api(seed.apiPort(), "hana");
    TestNodes.awaitHostsUp(api, "h1", "h2");
  }

  @AfterAll
  void stop() {
    System.clearProperty(MoveEntity.HOLD_PROPERTY);
    TestNodes.closeAll(hostNodes.get("h1"), hostNodes.get("h2"), seed);
    TestNodes.deleteQuietly(dir);
  }

  private void hold(String label) {
    try {
      Files.writeString(holdFile, label);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String runningHost(String vm) {
    JsonNode v = Await.until(vm + " running", WAIT, () -> api.get("/api/vms/" + vm).json(),
        j -> j.path("phase").asText().equals("running") && !j.path("hostId").isMissingNode());
    return v.path("hostId").asText();
  }

  private String hostStatus(String host) {
    return api.get("/api/hosts/" + host).json().path("status").asText();
  }

  /** Stops the node of {@code host} and waits until the cluster marked the host down. */
  private void stopHostNode(String host) {
    hostNodes.remove(host).close();
    Await.until("host " + host + " down", WAIT, () -> hostStatus(host), "down"::equals);
  }

  /** Starts the node of {@code host} again (same settings, same disk) and waits until the host is up. */
  private void restartHostNode(String host) {
    hostNodes.put(host, AvmNode.start(hostSettings.get(host)));
    Await.until("host " + host + " up again", WAIT, () -> hostStatus(host), "up"::equals);
  }

  private SimulatedHypervisor adapter(String host) {
    return (SimulatedHypervisor) hostNodes.get(host).runtime().adapter(host);
  }

  private JsonNode awaitEnded(String vm, long moveId, String what) {
    return Await.until("move " + moveId + " of " + vm + " ended " + what, WAIT,
        () -> api.get("/api/vms/" + vm + "/move").json(),
        j -> j.path("moveId").asLong() == moveId && !j.path("status").asText().equals("active"));
  }

  @Test
  @Order(1)
  void aMoveResumesAfterItsSourceOrTargetNodeStopsAtEveryStep() {
    assertEquals(201, api.post("/api/vms", Api.vm("hc-1", 1, 256)).status());
    api.post("/api/vms/hc-1/start", null).ok();
    List<String> holds = new ArrayList<>(List.of("started"));
    holds.addAll(COLD_STEPS.subList(0, COLD_STEPS.size() - 1));
    for (String hold : holds) {
      // before the move claimed the VM, a stopped source node loses it like any VM of a lost host (the
      // move then ends aborted: the last test shows a failover of that kind)
      for (boolean sourceStops : hold.equals("started") ? List.of(false) : List.of(true, false)) {
        String from = runningHost("hc-1");
        String to = from.equals("h1") ? "h2" : "h1";
        String victim = sourceStops ? from : to;
        String round = (sourceStops ? "source " : "target ") + victim + " stopped after " + hold;
        MoveEntity.clearHeld();
        hold(hold);
        Api.Response asked = api.postJson("/api/vms/hc-1/move", Map.of("to", to, "reason", round));
        assertEquals(202, asked.status(), asked::toString);
        long moveId = asked.json().path("moveId").asLong();
        Await.until("move held after " + hold, WAIT, () -> MoveEntity.heldOn("hc-1"),
            h -> h != null && h.endsWith(" " + hold));
        stopHostNode(victim);
        restartHostNode(victim);
        hold("");
        JsonNode move = awaitEnded("hc-1", moveId, round);
        assertEquals("completed", move.path("status").asText(), round + ": " + move);
        assertEquals(COLD_STEPS, Api.list(move.path("steps")).stream().map(JsonNode::asText).toList(), round);
        Moves.assertSettledOn(api, "hc-1", to, from, WAIT);
        assertEquals(Moves.completed(COLD_STEPS), Await.until("move events in the journal", WAIT,
            () -> Moves.events(api, "hc-1", moveId),
            e -> e.contains("MoveEnded")), "every step's event exactly once, in order (" + round + ")");
      }
    }
    // the VM was never lost or failed over on the way: no VmLost in its history
    assertFalse(api.eventNames("vm:hc-1").contains("VmLost"), () -> api.eventNames("vm:hc-1").toString());
  }

  @Test
  @Order(2)
  void aTargetNodeStoppedDuringTheCopyLosesTheHalfImportedDataAndTheMoveImportsItAgain() {
    String from = runningHost("hc-1");
    String to = from.equals("h1") ? "h2" : "h1";
    // a slow import on the target: its node stops while the copy is under way
    hostNodes.get(to).close();
    hostNodes.remove(to);
    Await.until("host " + to + " down", WAIT, () -> hostStatus(to), "down"::equals);
    hostSettings.put(to, hostSettings.get(to).withDelays(Duration.ofSeconds(4), Duration.ZERO));
    restartHostNode(to);
    Api.Response asked = api.postJson("/api/vms/hc-1/move", Map.of("to", to, "reason", "crash during the copy"));
    assertEquals(202, asked.status(), asked::toString);
    long moveId = asked.json().path("moveId").asLong();
    Await.until("the target imports", WAIT, () -> adapter(to).status("hc-1"), VmRuntimeState.COPYING::equals);
    stopHostNode(to);
    hostSettings.put(to, hostSettings.get(to).withDelays(Duration.ofMillis(300), Duration.ZERO));
    restartHostNode(to);
    assertFalse(adapter(to).hasData("hc-1"), "a half-done import leaves no data behind");
    JsonNode move = awaitEnded("hc-1", moveId, "after the stop during the copy");
    assertEquals("completed", move.path("status").asText(), move::toString);
    assertEquals(COLD_STEPS, Api.list(move.path("steps")).stream().map(JsonNode::asText).toList());
    Moves.assertSettledOn(api, "hc-1", to, from, WAIT);
  }

  @Test
  @Order(3)
  void aVmFailedOverWhileItsHostsNodeWasAwayIsStoppedThereWhenTheNodeComesBack() {
    String spec = Api.write(new java.util.LinkedHashMap<>(Map.of("vmId", "hc-2", "cpuCores", 1, "memoryMiB", 128,
        "runtime", "simulated", "data", "REPLICATED")));
    assertEquals(201, api.post("/api/vms", spec).status());
    api.post("/api/vms/hc-2/start", null).ok();
    String first = runningHost("hc-2");
    String other = first.equals("h1") ? "h2" : "h1";
    stopHostNode(first);
    // its data is replicated: failover starts it on the other host
    Await.until("hc-2 failed over to " + other, WAIT, () -> api.get("/api/vms/hc-2").json(),
        j -> j.path("phase").asText().equals("running") && j.path("hostId").asText().equals(other));
    restartHostNode(first);
    // the restarted host still had it running on disk: its control program stops it there
    Await.until("hc-2 stopped on " + first, WAIT, () -> adapter(first).status("hc-2"),
        s -> s != VmRuntimeState.RUNNING && s != VmRuntimeState.BOOTING);
    assertEquals(VmRuntimeState.RUNNING, adapter(other).status("hc-2"));
    JsonNode vm = api.get("/api/vms/hc-2").ok();
    assertEquals(other, vm.path("hostId").asText(), vm::toString);
    // the stop is in the host's history, with who and why
    JsonNode stopped = Await.until("the stop of hc-2 in the history of host " + first, WAIT,
        () -> Api.list(api.get("/api/audit/history/host:" + first).ok()), h -> h.stream()
            .anyMatch(e -> e.path("event").asText().equals("HostVmStopped"))).stream()
        .filter(e -> e.path("event").asText().equals("HostVmStopped")).findFirst().orElseThrow();
    assertEquals("system:reconcile", stopped.path("who").asText(), stopped::toString);
    assertEquals("vm hc-2 ran on " + first + " although it is assigned to " + other + "; stopped it here",
        stopped.path("detail").path("reason").asText(), stopped::toString);
  }
}
