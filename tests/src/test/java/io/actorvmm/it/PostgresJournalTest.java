package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AvmNode;
import io.actorvmm.runtime.NodeSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same node on the PostgreSQL journal (AVM_TEST_PG_URL, AVM_TEST_PG_USER, AVM_TEST_PG_PASSWORD;
 * skipped only when the URL is unset): create and start a VM, read its history and replay it, then
 * restart the node and find everything again, recovered from PostgreSQL. The journal's tables are
 * dropped first, so every run starts from an empty database.
 */
class PostgresJournalTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> TABLES = List.of("event_tag", "event_journal", "snapshot", "durable_state");

  private String url;
  private String user;
  private String password;
  private Path dir;
  private AvmNode node;

  @BeforeEach
  void freshSchema() throws SQLException {
    url = System.getenv("AVM_TEST_PG_URL");
    // test.sh always provides a PostgreSQL: under CI its absence is a failure, not a reason to skip
    if ((url == null || url.isBlank()) && System.getenv("CI") != null) {
      throw new AssertionError("AVM_TEST_PG_URL is not set");
    }
    Assumptions.assumeTrue(url != null && !url.isBlank(), "AVM_TEST_PG_URL is not set");
    user = envOr("AVM_TEST_PG_USER", "avm");
    password = envOr("AVM_TEST_PG_PASSWORD", "avm");
    try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
      for (String table : TABLES) st.execute("DROP TABLE IF EXISTS " + table + " CASCADE");
    }
    dir = TestNodes.tempDir("pg");
  }

  @AfterEach
  void stop() {
    TestNodes.closeAll(node);
    TestNodes.deleteQuietly(dir);
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private long journalRows(String persistenceId) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
         PreparedStatement st = c.prepareStatement("SELECT count(*) FROM event_journal WHERE persistence_id = ?")) {
      st.setString(1, persistenceId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void createStartAuditAndRecoverAfterRestart() throws Exception {
    NodeSettings settings = TestNodes.single(dir, "h1", "h2").withJournal("postgres", url, user, password);
    node = TestNodes.startAndAwaitHosts(settings);
    Api api = new Api(node.apiPort(), "frank");

    assertEquals(201, api.post("/api/vms", Api.vm("pg-1", 2, 1024)).status());
    JsonNode placed = api.post("/api/vms/pg-1/start", null).ok();
    String host = placed.path("hostId").asText();
    Await.until("pg-1 running", WAIT, () -> api.vmPhase("pg-1"), "running"::equals);
    // refused commands persist nothing here either
    api.post("/api/vms/pg-1/start", null).assertError(409);
    api.post("/api/vms/pg-none/stop", null).assertError(404);

    List<JsonNode> history = Await.until("pg-1's history up to VmRunning", WAIT, () -> api.history("vm:pg-1"),
        h -> !h.isEmpty() && h.get(h.size() - 1).path("event").asText().equals("VmRunning"));
    List<String> names = history.stream().map(e -> e.path("event").asText()).toList();
    assertEquals(List.of("VmCreated", "VmPlaced"), names.subList(0, 2));
    assertEquals(List.of("VmBooting", "VmRunning"), names.subList(names.size() - 2, names.size()));
    assertEquals("frank", history.get(0).path("who").asText());
    assertEquals("frank", history.get(1).path("who").asText());
    assertEquals(names.size(), journalRows("Vm|pg-1"), "the events are rows in PostgreSQL");
    assertEquals(0, journalRows("Vm|pg-none"));
    Await.until("pg-1 in the audit log", WAIT, () -> api.auditLog().stream()
        .filter(e -> e.path("entity").asText().equals("vm:pg-1")).count() == names.size());
    Instant createdAt = Instant.parse(history.get(0).path("at").asText());
    Instant placedAt = Instant.parse(history.get(1).path("at").asText());
    JsonNode early = api.get("/api/audit/replay/vm:pg-1?at="
        + createdAt.plus(Duration.between(createdAt, placedAt).dividedBy(2))).ok();
    assertEquals(1, early.path("events").asInt());
    assertEquals("DEFINED", early.path("state").path("phase").asText());

    // a restart on the same ports and journal recovers every entity and read side from PostgreSQL
    node.close();
    node = TestNodes.startAndAwaitHosts(settings);
    Api again = new Api(node.apiPort(), "frank");
    // the restarted node's simulated host kept the VM's disk but runs nothing, as a rebooted machine: its
    // control program restarts the VM in place
    JsonNode vm = Await.until("pg-1 running after the restart", WAIT, () -> again.get("/api/vms/pg-1").ok(),
        j -> j.path("phase").asText().equals("running"));
    assertEquals(host, vm.path("hostId").asText());
    assertEquals(host, vm.path("placement").path("chosenHost").asText());
    JsonNode h = again.get("/api/hosts/" + host).ok();
    assertEquals(List.of("pg-1"), Api.list(h.path("vms")).stream().map(JsonNode::asText).toList());
    assertEquals(2, h.path("used").path("cpuCores").asInt());
    List<String> after = Await.until("pg-1's history with its restart", WAIT, () -> again.eventNames("vm:pg-1"),
        n -> n.size() >= names.size() + 2 && n.get(n.size() - 1).equals("VmRunning"));
    assertEquals(names, after.subList(0, names.size()), "the history recovered from PostgreSQL");
    assertEquals("VmRestarting", after.get(names.size()), after::toString);
    Await.until("GET /api/vms lists pg-1 running after the restart", WAIT, () -> again.get("/api/vms").json(),
        j -> j.isArray() && Api.list(j).stream().anyMatch(v -> v.path("vmId").asText().equals("pg-1")
            && v.path("phase").asText().equals("running")));
    // and keeps writing: a second VM after the restart
    assertEquals(201, again.post("/api/vms", Api.vm("pg-2", 1, 512)).status());
    again.post("/api/vms/pg-2/start", null).ok();
    Await.until("pg-2 running", WAIT, () -> again.vmPhase("pg-2"), "running"::equals);
    assertTrue(journalRows("Vm|pg-2") >= 4);
  }
}
