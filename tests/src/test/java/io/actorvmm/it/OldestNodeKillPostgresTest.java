package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The oldest node killed with kill -9 on PostgreSQL (AVM_TEST_PG_URL) with two seeds: it ran the host
 * monitor, which starts again on another node only after that node is gone and so never sees it leave;
 * the monitor's comparison of hosts with members still marks its host down, and its replicated VMs run
 * elsewhere. Host and VM ids are new each run, so the shared journal's earlier contents do not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OldestNodeKillPostgresTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private Path dir;
  private NodeProcess first;
  private NodeProcess second;
  private NodeProcess third;
  private final String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

  @BeforeAll
  void start() throws Exception {
    String url = System.getenv("AVM_TEST_PG_URL");
    if ((url == null || url.isBlank()) && System.getenv("CI") != null) throw new AssertionError("AVM_TEST_PG_URL is not set");
    Assumptions.assumeTrue(url != null && !url.isBlank(), "AVM_TEST_PG_URL is not set");
    dir = TestNodes.tempDir("oldest-pg");
    NodeProcess.buildOnce(dir);
  }

  @AfterAll
  void stop() {
    for (NodeProcess n : new NodeProcess[] {third, second, first}) {
      if (n != null) n.destroy();
    }
    if (dir != null) TestNodes.deleteQuietly(dir);
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private NodeProcess node(String name, int port, String roles, String seeds, String host) throws Exception {
    return NodeProcess.start(dir, name, port, Ports.free(), List.of("--roles", roles, "--seeds", seeds,
        "--host-id", host, "--hypervisor", "simulated", "--journal", "postgres",
        "--pg-url", System.getenv("AVM_TEST_PG_URL"), "--pg-user", envOr("AVM_TEST_PG_USER", "avm"),
        "--pg-password", envOr("AVM_TEST_PG_PASSWORD", "avm"), "--data-dir", dir.resolve(name).toString()));
  }

  private static String vm(String id) {
    Map<String, Object> m = new LinkedHashMap<>(Map.of("vmId", id, "cpuCores", 1, "memoryMiB", 512, "diskGiB", 1,
        "runtime", "simulated", "image", id + ".img"));
    m.put("data", "REPLICATED");
    return Api.write(m);
  }

  @Test
  void theOldestNodesHostIsMarkedDownAndItsReplicatedVmsRunElsewhere() throws Exception {
    int p1 = Ports.free();
    int p2 = Ports.free();
    String seeds = "127.0.0.1:" + p1 + ",127.0.0.1:" + p2;
    String h1 = "o1-" + run;
    String h2 = "o2-" + run;
    String h3 = "o3-" + run;
    // the first node alone, so the VMs are placed on its host; it is the oldest member
    first = node("first", p1, "seed,host", seeds, h1);
    Api api1 = new Api(first.apiPort, "ines");
    TestNodes.awaitHostsUp(api1, h1);
    List<String> vms = List.of("r1-" + run, "r2-" + run);
    for (String id : vms) {
      assertEquals(201, api1.post("/api/vms", vm(id)).status());
      api1.post("/api/vms/" + id + "/start", null).ok();
      JsonNode v = Await.until(id + " running", WAIT, () -> api1.get("/api/vms/" + id).json(),
          j -> j.path("phase").asText().equals("running"));
      assertEquals(h1, v.path("hostId").asText());
    }
    second = node("second", p2, "seed,host", seeds, h2);
    third = node("third", Ports.free(), "host", seeds, h3);
    Api api = new Api(second.apiPort, "ines");
    TestNodes.awaitHostsUp(api, h1, h2, h3);
    Await.until("all three members Up", WAIT, () -> api.get("/api/cluster").json(), j -> {
      int up = 0;
      for (JsonNode m : j.path("members")) if (m.path("status").asText().equals("Up")) up++;
      return up == 3 && j.path("oldest").asText().endsWith(":" + p1);
    });

    first.kill();
    JsonNode host = Await.until(h1 + " down", WAIT, () -> api.get("/api/hosts/" + h1).json(),
        j -> j.path("status").asText().equalsIgnoreCase("down"));
    assertTrue(host.path("statusReason").asText().contains(h1) || host.path("statusReason").asText().contains(":" + p1),
        host::toString);
    for (String id : vms) {
      JsonNode v = Await.until(id + " running elsewhere", WAIT, () -> api.get("/api/vms/" + id).json(),
          j -> j.path("phase").asText().equals("running") && !j.path("hostId").asText().equals(h1));
      assertNotEquals(h1, v.path("hostId").asText());
    }
  }
}
