package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AvmNode;
import io.actorvmm.runtime.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A live move between two host nodes running real QEMU (TCG, a blank disk): the VM keeps running,
 * QEMU's own migration (memory and a mirrored disk) carries it to the other host, the downtime QEMU
 * reports is on the move, and afterwards exactly one QEMU process runs it, on the target. Skipped
 * where QEMU is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuLiveMoveTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  static {
    System.setProperty("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
  }

  private Path dir;
  private AvmNode node1;
  private AvmNode node2;
  private Api api;

  private static boolean onPath(String binary) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, binary))) return true;
    }
    return false;
  }

  private static NodeSettings qemu(NodeSettings s) {
    return s.withHypervisor("qemu");
  }

  @BeforeAll
  void start() {
    boolean installed = onPath("qemu-system-x86_64") && onPath("qemu-img");
    // CI installs QEMU (test.sh): there a missing binary is a failure, not a reason to skip
    if (!installed && System.getenv("CI") != null) throw new AssertionError("QEMU is not installed");
    assumeTrue(installed, "QEMU is not installed");
    dir = TestNodes.tempDir("qemu-live");
    int port = Ports.free();
    List<String> seeds = List.of("127.0.0.1:" + port);
    // the two hosts' data directories differ (data/hosts/q1, data/hosts/q2) though the nodes share the journal
    node1 = AvmNode.start(qemu(NodeSettings.local(port, Ports.free(), dir).withRoles(List.of("seed", "host"), seeds)
        .withHosts(List.of("q1"))));
    node2 = AvmNode.start(qemu(NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seeds)
        .withHosts(List.of("q2"))));
    api = new Api(node1.apiPort(), "quinn");
    TestNodes.awaitHostsUp(api, "q1", "q2");
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(node2, node1);
    TestNodes.deleteQuietly(dir);
  }

  @Test
  void aRunningQemuVmMovesLiveToTheOtherHost() {
    Map<String, Object> body = new LinkedHashMap<>(Map.of("vmId", "ql-1", "cpuCores", 1, "memoryMiB", 64,
        "diskGiB", 1, "networkMbit", 10, "runtime", "qemu", "image", "blank"));
    assertEquals(201, api.post("/api/vms", Api.write(body)).status());
    api.post("/api/vms/ql-1/start", null).ok();
    String from = Await.until("ql-1 running", WAIT, () -> api.get("/api/vms/ql-1").json(),
        j -> j.path("phase").asText().equals("running")).path("hostId").asText();
    String to = from.equals("q1") ? "q2" : "q1";
    assertEquals("running", api.get("/api/hosts/" + from + "/vms/ql-1").ok().path("state").asText());

    JsonNode asked = api.postJson("/api/vms/ql-1/move", Map.of("to", to, "live", true)).ok();
    assertTrue(asked.path("live").asBoolean(), asked::toString);
    JsonNode move = Await.until("live move ended", WAIT, () -> api.get("/api/vms/ql-1/move").json(),
        j -> !j.path("status").asText().equals("active"));
    assertEquals("completed", move.path("status").asText(), move::toString);
    assertTrue(move.path("downtimeMillis").asLong() >= 0, move::toString);
    JsonNode vm = api.get("/api/vms/ql-1").ok();
    assertEquals(to, vm.path("hostId").asText(), vm::toString);
    assertEquals("running", vm.path("phase").asText(), vm::toString);
    JsonNode there = api.get("/api/hosts/" + to + "/vms/ql-1").ok();
    JsonNode source = api.get("/api/hosts/" + from + "/vms/ql-1").ok();
    assertEquals("running", there.path("state").asText(), there::toString);
    assertTrue(there.path("hasData").asBoolean(), there::toString);
    assertFalse(source.path("state").asText().equals("running"), source::toString);
    assertFalse(source.path("hasData").asBoolean(), source::toString);
    api.post("/api/vms/ql-1/stop", null).ok();
    Await.until("ql-1 stopped", WAIT, () -> api.vmPhase("ql-1").equals("stopped"));
  }
}
