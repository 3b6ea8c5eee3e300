package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cold moves across real {@code ./avm node} processes: two seed nodes (they coordinate moves) and two
 * host nodes (p1, p2) on one H2 journal. A move is held right after a step, each step in turn (the
 * seeds read the step from a file, {@code AVM_MOVE_HOLD=@file}), the seed process coordinating it is
 * killed with SIGKILL, and the move resumes on the other seed once the split brain resolver has downed
 * the dead one.
 * Afterwards: exactly one running copy, the data only on the target, every step's event once. The
 * killed seed is started again for the next step. Then the same with the source's or the target's host
 * node killed instead: the host nodes keep their simulated VMs on disk ({@code --simulated-state disk})
 * and are not fenced ({@code --fencing off}), so the killed node comes back with what its host had, and
 * the move resumes where it stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class MoveKillTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration FIRST_START = Duration.ofMinutes(5);
  private static final List<String> COLD_STEPS = Moves.COLD_STEPS;

  private record NodeProcess(String name, Process process, int port, int apiPort, Path stdout) {
    String address() {
      return "pekko://avm@127.0.0.1:" + port;
    }
  }

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final Thread reaper = new Thread(this::destroyAll, "avm-move-kill-reaper");
  private Path dir;
  private Path holdFile;
  private String seeds;
  private final int[] seedPorts = new int[2];
  private final NodeProcess[] seedNodes = new NodeProcess[2];
  private final java.util.Map<String, NodeProcess> hostNodes = new java.util.HashMap<>();
  private Api api;

  @BeforeAll
  void start() throws Exception {
    dir = TestNodes.tempDir("move-kill");
    holdFile = dir.resolve("hold");
    Files.writeString(holdFile, "");
    Runtime.getRuntime().addShutdownHook(reaper);
    Path out = dir.resolve("version.out");
    Process v = new ProcessBuilder(Repo.root().resolve("avm").toString(), "--version").directory(Repo.root().toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(v.waitFor(FIRST_START.toSeconds(), TimeUnit.SECONDS) && v.exitValue() == 0, "./avm --version");
    seedPorts[0] = Ports.free();
    seedPorts[1] = Ports.free();
    seeds = "127.0.0.1:" + seedPorts[0] + ",127.0.0.1:" + seedPorts[1];
    seedNodes[0] = launch("seed1", seedPorts[0], "seed", null);
    seedNodes[1] = launch("seed2", seedPorts[1], "seed", null);
    NodeProcess p1 = launch("node-p1", Ports.free(), "host", "p1");
    NodeProcess p2 = launch("node-p2", Ports.free(), "host", "p2");
    hostNodes.put("p1", p1);
    hostNodes.put("p2", p2);
    api = new Api(p1.apiPort(), "kim");
    TestNodes.awaitHostsUp(api, "p1", "p2");
  }

  @AfterAll
  void stop() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException ignored) {
      // already shutting down
    }
    TestNodes.deleteQuietly(dir);
  }

  private void destroyAll() {
    for (NodeProcess n : nodes) {
      n.process().descendants().forEach(ProcessHandle::destroyForcibly);
      n.process().destroyForcibly();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private NodeProcess launch(String name, int port, String roles, String hostId) throws IOException {
    int apiPort = Ports.free();
    Path stdout = dir.resolve(name + "-" + System.nanoTime() + ".out");
    List<String> cmd = new ArrayList<>(List.of(Repo.root().resolve("avm").toString(), "node", "--roles", roles,
        "--port", String.valueOf(port), "--api-port", String.valueOf(apiPort), "--seeds", seeds,
        "--data-dir", dir.resolve("data").toString()));
    // moves resuming over VMs that outlive their control program: without fencing, which would stop them
    // 5 s after the kill (FencingTest covers that)
    if (hostId != null) {
      cmd.addAll(List.of("--host-id", hostId, "--simulated-state", "disk", "--copy-ms", "200", "--fencing", "off"));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.root().toFile()).redirectErrorStream(true)
        .redirectOutput(stdout.toFile());
    pb.environment().put("AVM_HEAP", "384m");
    pb.environment().put("AVM_MOVE_HOLD", "@" + holdFile);
    NodeProcess node = new NodeProcess(name, pb.start(), port, apiPort, stdout);
    nodes.add(node);
    Await.until(name + " prints 'node up'", FIRST_START, () -> {
      if (!node.process().isAlive()) throw new IllegalStateException(name + " exited: " + read(stdout));
      return read(stdout).contains("node up: " + node.address());
    });
    return node;
  }

  private String runningHost(String vm) {
    return Await.until(vm + " running", WAIT, () -> api.get("/api/vms/" + vm).json(),
        j -> j.path("phase").asText().equals("running")).path("hostId").asText();
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void aMoveResumesOnTheOtherSeedAfterItsCoordinatorIsKilled() throws Exception {
    assertEquals(201, api.post("/api/vms", Api.vm("mk-1", 1, 256)).status());
    api.post("/api/vms/mk-1/start", null).ok();
    List<String> holds = new ArrayList<>(List.of("started"));
    holds.addAll(COLD_STEPS);
    for (String hold : holds) {
      String from = runningHost("mk-1");
      String to = from.equals("p1") ? "p2" : "p1";
      Files.writeString(holdFile, hold);
      Api.Response asked = api.postJson("/api/vms/mk-1/move", Map.of("to", to));
      assertEquals(202, asked.status(), asked::toString);
      long moveId = asked.json().path("moveId").asLong();
      String line = "held after " + hold;
      int held = Await.until("a seed holds the move after " + hold, WAIT, () -> {
        for (int i = 0; i < 2; i++) if (read(seedNodes[i].stdout()).contains(line)) return i;
        return -1;
      }, i -> i >= 0);
      NodeProcess victim = seedNodes[held];
      victim.process().destroyForcibly();  // SIGKILL
      assertTrue(victim.process().waitFor(10, TimeUnit.SECONDS));
      // only now: a move held through the file would otherwise go on where it is
      Files.writeString(holdFile, "");
      nodes.remove(victim);
      JsonNode move = Await.until("move " + moveId + " completed after the kill at " + hold, WAIT,
          () -> api.get("/api/vms/mk-1/move").json(),
          j -> j.path("moveId").asLong() == moveId && !j.path("status").asText().equals("active"));
      assertEquals("completed", move.path("status").asText(), move::toString);
      Moves.assertSettledOn(api, "mk-1", to, from, WAIT);
      assertEquals(Moves.completed(COLD_STEPS), Await.until("the move's events", WAIT,
          () -> Moves.events(api, "mk-1", moveId), e -> e.contains("MoveEnded")),
          "every step once after the kill at " + hold);
      seedNodes[held] = launch(victim.name(), seedPorts[held], "seed", null);
      // a seed that found no other seed would start a cluster of its own: wait until it joined this one
      Await.until("four members up", WAIT, () -> api.get("/api/cluster").json(), j -> j.path("members").size() == 4
          && Api.list(j.path("members")).stream().allMatch(m -> m.path("status").asText().equals("Up")));
    }
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void aMoveResumesAfterItsSourceOrTargetHostNodeIsKilled() throws Exception {
    // the API of a seed: the host nodes are the ones killed here
    Api seedApi = new Api(seedNodes[0].apiPort(), "kim");
    assertEquals(201, seedApi.post("/api/vms", Api.vm("mk-2", 1, 256)).status());
    seedApi.post("/api/vms/mk-2/start", null).ok();
    record Round(String hold, boolean sourceKilled) {}
    // every step up to the start on the target, the source's and the target's node in turn (before the
    // claim, a killed source loses the VM like any VM of a lost host: MoveHostCrashTest covers that)
    for (Round r : List.of(new Round("started", false), new Round("vm-claimed", true),
        new Round("source-stopped", false), new Round("data-exported", true), new Round("data-imported", false),
        new Round("vm-assigned", true), new Round("target-started", false))) {
      String from = Await.until("mk-2 running", WAIT, () -> seedApi.get("/api/vms/mk-2").json(),
          j -> j.path("phase").asText().equals("running")).path("hostId").asText();
      String to = from.equals("p1") ? "p2" : "p1";
      String victimHost = r.sourceKilled() ? from : to;
      String round = (r.sourceKilled() ? "source " : "target ") + victimHost + " killed after " + r.hold();
      Files.writeString(holdFile, r.hold());
      Api.Response asked = seedApi.postJson("/api/vms/mk-2/move", Map.of("to", to, "reason", round));
      assertEquals(202, asked.status(), asked::toString);
      long moveId = asked.json().path("moveId").asLong();
      String line = "move " + moveId + " of vm mk-2 held after " + r.hold();
      Await.until("a seed holds the move after " + r.hold(), WAIT,
          () -> read(seedNodes[0].stdout()).contains(line) || read(seedNodes[1].stdout()).contains(line), ok -> ok);
      NodeProcess victim = hostNodes.get(victimHost);
      victim.process().destroyForcibly();  // SIGKILL
      assertTrue(victim.process().waitFor(10, TimeUnit.SECONDS));
      nodes.remove(victim);
      Await.until("host " + victimHost + " down", WAIT,
          () -> seedApi.get("/api/hosts/" + victimHost).json().path("status").asText(), "down"::equals);
      hostNodes.put(victimHost, launch(victim.name(), victim.port(), "host", victimHost));
      Await.until("host " + victimHost + " up again", WAIT,
          () -> seedApi.get("/api/hosts/" + victimHost).json().path("status").asText(), "up"::equals);
      Files.writeString(holdFile, "");
      JsonNode move = Await.until("move " + moveId + " ended (" + round + ")", WAIT,
          () -> seedApi.get("/api/vms/mk-2/move").json(),
          j -> j.path("moveId").asLong() == moveId && !j.path("status").asText().equals("active"));
      assertEquals("completed", move.path("status").asText(), round + ": " + move);
      Moves.assertSettledOn(seedApi, "mk-2", to, from, WAIT);
      assertEquals(Moves.completed(COLD_STEPS), Await.until("the move's events", WAIT,
          () -> Moves.events(seedApi, "mk-2", moveId), e -> e.contains("MoveEnded")), "every step once (" + round + ")");
    }
    assertFalse(seedApi.eventNames("vm:mk-2").contains("VmLost"), () -> seedApi.eventNames("vm:mk-2").toString());
  }
}
