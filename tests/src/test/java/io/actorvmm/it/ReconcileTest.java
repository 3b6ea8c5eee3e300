package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Recorded state follows real state, with a real node process on simulated hosts kept the default way
 * (their VMs' disks survive the node, the VMs themselves do not, as on a machine that rebooted): a node
 * killed with SIGKILL comes back, its control program finds its VMs not running and restarts them in
 * place by their restart policy, each correction in the audit log; a VM whose data is gone is failed
 * with the reason and starts again only from its image when asked to; bad restart policies are refused.
 * The hypervisor's own state (the simulated hosts' state file) is the witness, not the journal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcileTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** The promise: a restarted node's VMs run again within this time of its start. */
  private static final Duration BACK_WITHIN = Duration.ofSeconds(20);

  private Path dir;
  private int port;
  private int apiPort;
  private NodeProcess node;
  private Api api;

  @BeforeAll
  void start() throws Exception {
    dir = TestNodes.tempDir("reconcile");
    NodeProcess.buildOnce(dir);
    port = Ports.free();
    apiPort = Ports.free();
    node = launch();
    TestNodes.awaitHostsUp(api, "r1");
  }

  private NodeProcess launch() throws Exception {
    NodeProcess n = NodeProcess.start(dir, "reconcile", port, apiPort, List.of("--roles", "seed,host",
        "--seeds", "127.0.0.1:" + port, "--host-id", "r1", "--data-dir", dir.resolve("data").toString(),
        "--copy-ms", "100"));
    api = new Api(apiPort, "kim");
    return n;
  }

  @AfterAll
  void stop() {
    if (node != null) node.destroy();
    TestNodes.deleteQuietly(dir);
  }

  private JsonNode vm(String id) {
    return api.get("/api/vms/" + id).json();
  }

  private JsonNode awaitPhase(String id, String phase, Duration within) {
    return Await.until(id + " " + phase, within, () -> vm(id), j -> j.path("phase").asText().equals(phase));
  }

  private void createAndStart(String id) {
    assertEquals(201, api.post("/api/vms", Api.vm(id, 1, 256)).status());
    api.post("/api/vms/" + id + "/start", null).ok();
    awaitPhase(id, "running", WAIT);
  }

  /** The simulated host's own record of its VMs: vm id to state, from its state file. */
  private Map<String, String> hypervisorStates() {
    Path file = stateFile();
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (JsonNode k : Api.JSON.readTree(file.toFile())) out.put(k.path("vmId").asText(), k.path("state").asText());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private Path stateFile() {
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      return files.filter(p -> p.getFileName().toString().equals("simulated-state.json"))
          .filter(p -> p.toString().contains("r1")).findFirst()
          .orElseThrow(() -> new AssertionError("no simulated-state.json of r1 under " + dir));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<JsonNode> history(String ref) {
    JsonNode h = api.get("/api/audit/history/" + ref).ok();
    return Api.list(h.isArray() ? h : h.path("events"));
  }

  private NodeProcess restartAfterKill() throws Exception {
    node.kill();
    return launch();
  }

  @Test
  @Order(1)
  void aNodeKilledWithSigkillRunsItsVmsAgainInPlaceWithEachCorrectionAudited() throws Exception {
    List<String> ids = List.of("rc-1", "rc-2", "rc-3", "rc-4");
    for (String id : ids) createAndStart(id);
    for (String id : ids) assertEquals("RUNNING", hypervisorStates().get(id), id + " runs on the simulated host");

    node = restartAfterKill();
    long upAt = System.nanoTime();
    // the host came back with its VMs' disks and none of them running
    for (String id : ids) {
      Await.until(id + " running again on r1 by the hypervisor's own record", BACK_WITHIN,
          () -> hypervisorStates().get(id), "RUNNING"::equals);
    }
    for (String id : ids) {
      JsonNode v = awaitPhase(id, "running", BACK_WITHIN.minusNanos(System.nanoTime() - upAt).plusSeconds(1));
      assertEquals("r1", v.path("hostId").asText(), "restarted in place: " + v);
      // a restart of its node is not the VM's failure: it does not use up its restarts
      assertEquals(0, v.path("restarts").asInt(), v::toString);
    }
    long took = (System.nanoTime() - upAt) / 1_000_000;
    assertTrue(took < BACK_WITHIN.toMillis(), "running again " + took + " ms after the node was up");
    for (String id : ids) {
      JsonNode restart = Await.until(id + "'s correction in the audit log", WAIT, () -> history("vm:" + id),
          h -> h.stream().anyMatch(e -> e.path("event").asText().equals("VmRestarting"))).stream()
          .filter(e -> e.path("event").asText().equals("VmRestarting")).findFirst().orElseThrow();
      assertEquals("system:reconcile", restart.path("who").asText(), restart::toString);
      assertEquals("vm " + id + " was not running on r1 after its node restarted; restarted in place (a restart of its "
          + "node does not count against its restarts)", restart.path("detail").path("reason").asText(), restart::toString);
    }
  }

  @Test
  @Order(2)
  void aVmWhoseDataIsGoneFailsWithTheReasonAndStartsAgainOnlyFromItsImage() throws Exception {
    createAndStart("rd-1");
    node.kill();
    // the host loses the VM's disk while its node is away
    Path file = stateFile();
    ArrayNode kept = (ArrayNode) Api.JSON.readTree(file.toFile());
    ArrayNode without = Api.JSON.createArrayNode();
    kept.forEach(k -> {
      if (!k.path("vmId").asText().equals("rd-1")) without.add(k);
    });
    Api.JSON.writeValue(file.toFile(), without);
    node = launch();

    JsonNode failed = awaitPhase("rd-1", "failed", WAIT);
    assertEquals("vm rd-1 was not running on r1 after its node restarted; data missing on host r1",
        failed.path("reason").asText(), failed::toString);
    assertTrue(failed.path("dataUnavailable").isTextual(), failed::toString);
    int events = history("vm:rd-1").size();

    String refusal = api.post("/api/vms/rd-1/start", null).assertError(409);
    assertEquals("vm rd-1 cannot start: its data is unavailable (it is missing); start it from its image to begin "
        + "again without that data", refusal);
    assertEquals(events, history("vm:rd-1").size(), "a refused start persists nothing");
    api.post("/api/vms/rd-1/start?from-image=true", null).ok();
    JsonNode back = awaitPhase("rd-1", "running", WAIT);
    assertTrue(back.path("dataUnavailable").isNull() || back.path("dataUnavailable").isMissingNode(), back::toString);
    assertEquals("RUNNING", hypervisorStates().get("rd-1"));
  }

  @Test
  @Order(3)
  void badRestartPoliciesAreRefusedWithTheFieldAndPersistNothing() {
    record Bad(String field, Object value, String message) {}
    List<Bad> bad = List.of(
        new Bad("restart", "sometimes", "restart must be always, on-failure or never, not 'sometimes'"),
        new Bad("maxRestarts", -1, "maxRestarts must be between 0 and 100"),
        new Bad("restartWindow", -60, "restartWindow must be above zero and at most 7 days"));
    for (Bad b : bad) {
      Map<String, Object> body = new LinkedHashMap<>(Map.of("vmId", "rb-1", "cpuCores", 1, "memoryMiB", 256,
          "diskGiB", 1, "networkMbit", 10, "runtime", "simulated", "image", "it.qcow2"));
      body.put(b.field(), b.value());
      assertEquals(b.message(), api.postJson("/api/vms", body).assertError(400), b.field());
      assertEquals(404, api.get("/api/vms/rb-1").status(), "nothing persisted for a bad " + b.field());
    }
    Map<String, Object> service = Map.of("name", "rb-svc", "apps", List.of(Map.of("app", "rb-app", "kind", "k",
        "replicas", 1, "vm", Map.of("cpuCores", 1, "memoryMiB", 256, "runtime", "simulated", "restart", "often"))));
    String line = api.postJson("/api/services", service).assertError(400);
    assertTrue(line.contains("restart must be always, on-failure or never, not 'often'"), line);
    assertEquals(404, api.get("/api/services/rb-svc").status());
    List<String> seen = new ArrayList<>();
    api.get("/api/vms").ok().forEach(v -> seen.add(v.path("vmId").asText()));
    assertTrue(seen.stream().noneMatch(id -> id.startsWith("rb-")), seen::toString);
  }
}
