package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One cluster per journal, with real node processes on one H2 journal: a one-seed cluster (node s runs
 * host h1 and is the only seed; node b runs h2 with the control plane's role, node c runs h3).
 * <ol>
 *   <li>A node on another journal is refused at join: it exits non-zero with one line.</li>
 *   <li>A node whose lease row is taken in the database stops the shard it covered and says why; it
 *       starts it again once the row is free.</li>
 *   <li>The sole seed killed with kill -9 and started again forms a second cluster on the same journal,
 *       but the leases keep it idle: it starts nothing the running cluster holds and holds no lease,
 *       while the running cluster goes on (a VM starts). Started again with the other node as a seed, it
 *       joins the one cluster and its host comes back.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OneClusterPerJournalTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private Path dir;
  private Path data;
  private int seedPort;
  private int seedApi;
  private NodeProcess seed;
  private NodeProcess b;
  private NodeProcess c;
  private NodeProcess other;
  private Api api;

  @BeforeAll
  void start() throws Exception {
    dir = TestNodes.tempDir("one-cluster");
    data = dir.resolve("data");
    NodeProcess.buildOnce(dir);
    seedPort = Ports.free();
    seedApi = Ports.free();
    String seeds = "127.0.0.1:" + seedPort;
    seed = NodeProcess.start(dir, "seed-h1", seedPort, seedApi, List.of("--roles", "seed,host", "--seeds", seeds,
        "--host-id", "h1", "--data-dir", data.toString()));
    b = NodeProcess.start(dir, "node-h2", Ports.free(), Ports.free(), List.of("--roles", "seed,host", "--seeds", seeds,
        "--host-id", "h2", "--data-dir", data.toString()));
    c = NodeProcess.start(dir, "node-h3", Ports.free(), Ports.free(), List.of("--roles", "host", "--seeds", seeds,
        "--host-id", "h3", "--data-dir", data.toString()));
    api = new Api(b.apiPort, "lea");
    TestNodes.awaitHostsUp(api, "h1", "h2", "h3");
  }

  @AfterAll
  void stop() {
    for (NodeProcess n : new NodeProcess[] {other, c, b, seed}) {
      if (n != null) n.destroy();
    }
    TestNodes.deleteQuietly(dir);
  }

  private Connection journal() throws SQLException {
    // the nodes serve the H2 file to each other; AUTO_SERVER lets the test in as one more client
    return DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath() + "/journal;AUTO_SERVER=TRUE", "sa", "");
  }

  private int update(String sql, String... args) throws SQLException {
    try (Connection conn = journal(); PreparedStatement st = conn.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) st.setString(i + 1, args[i]);
      return st.executeUpdate();
    }
  }

  private long count(String sql, String arg) throws SQLException {
    try (Connection conn = journal(); PreparedStatement st = conn.prepareStatement(sql)) {
      st.setString(1, arg);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private String hostStatus(Api on, String host) {
    return on.get("/api/hosts/" + host).json().path("status").asText().toLowerCase();
  }

  @Test
  @Order(1)
  void aNodeOnAnotherJournalIsRefusedAtJoin() throws Exception {
    other = NodeProcess.launch(dir, "other-journal", Ports.free(), Ports.free(), List.of("--roles", "host",
        "--seeds", "127.0.0.1:" + seedPort, "--host-id", "hx", "--data-dir", dir.resolve("other").toString()), Map.of());
    assertTrue(other.process.waitFor(NodeProcess.FIRST_START.toSeconds(), TimeUnit.SECONDS), "the refused node exits");
    assertNotEquals(0, other.process.exitValue(), other.output());
    List<String> refusals = other.output().lines().filter(l -> l.contains("refused by the cluster")).toList();
    assertEquals(1, refusals.size(), other.output());
    assertTrue(refusals.get(0).matches("error: refused by the cluster: this node's journal \\([0-9a-f-]+, "
        + "jdbc:h2:file:.*other/journal\\) is not the cluster's"), refusals.get(0));
    other = null;
  }

  @Test
  @Order(2)
  void aNodeWhoseLeaseIsTakenStopsWhatItCovers() throws Exception {
    String lease = "avm-shard-Host-h3";
    Await.until(lease + " held", WAIT, () -> {
      try {
        return count("SELECT count(*) FROM avm_lease WHERE name = ?", lease) == 1;
      } catch (SQLException e) {
        return false;
      }
    });
    // another owner takes the row for ten minutes, as a second cluster would
    assertEquals(1, update("UPDATE avm_lease SET owner = 'intruder', expires_at = expires_at + 600000 WHERE name = ?",
        lease));
    Await.until("node-h3 says it lost " + lease, WAIT,
        () -> c.output().contains("lease " + lease + " lost by") && c.output().contains("Shard id [h3] lease lost"));
    Await.until("node-h3 says who holds " + lease, WAIT,
        () -> c.output().contains("lease " + lease + " is held by intruder"));
    // the row is free again: the shard starts again and the host answers
    update("DELETE FROM avm_lease WHERE name = ? AND owner = 'intruder'", lease);
    Await.until(lease + " held by node-h3 again", WAIT, () -> {
      try {
        return count("SELECT count(*) FROM avm_lease WHERE name = ? AND owner <> 'intruder'", lease) == 1;
      } catch (SQLException e) {
        return false;
      }
    });
    TestNodes.awaitHostsUp(api, "h3");
  }

  @Test
  @Order(3)
  void aRestartedSoleSeedStartsNothingTheClusterHoldsAndRejoinsWithTwoSeeds() throws Exception {
    seed.kill();
    Await.until("h1 down in the running cluster", WAIT, () -> hostStatus(api, "h1"), "down"::equals);
    // started again with itself as its only seed, it forms a cluster of its own on the same journal
    seed = NodeProcess.start(dir, "seed-h1-again", seedPort, seedApi, List.of("--roles", "seed,host",
        "--seeds", "127.0.0.1:" + seedPort, "--host-id", "h1", "--data-dir", data.toString()));
    Await.until("the restarted seed refuses a lease the running cluster holds", WAIT,
        () -> seed.output().contains("does not start what it covers"));
    assertTrue(seed.output().lines().anyMatch(l -> l.contains("lease avm-shard-") && l.contains(" is held by avm@")),
        seed.output());
    // the running cluster goes on: a VM starts on one of its hosts
    assertEquals(201, api.post("/api/vms", Api.vm("solo-1", 1, 512)).status());
    api.post("/api/vms/solo-1/start", null).ok();
    JsonNode vm = Await.until("solo-1 running", WAIT, () -> api.get("/api/vms/solo-1").json(),
        j -> j.path("phase").asText().equals("running"));
    assertTrue(List.of("h2", "h3").contains(vm.path("hostId").asText()), vm::toString);
    // the second cluster holds no lease of the cluster's VMs, hosts, apps, services or moves, so it ran none of
    // them: its host's agent found no entity to write to. (Each request it answers reads the caller's token
    // entity, which may take the lease of a token or user shard the running cluster does not hold; while it
    // does, the running cluster cannot start that shard, so the two never write the same entity.)
    assertEquals(0, count("SELECT count(*) FROM avm_lease WHERE owner LIKE ? AND name NOT LIKE '%-Token-%'"
        + " AND name NOT LIKE '%-User-%'", "avm@127.0.0.1:" + seedPort + "#%"));
    assertEquals("down", hostStatus(api, "h1"));
    JsonNode lost = api.get("/api/hosts/h1").json();
    assertTrue(lost.path("statusReason").asText().contains("127.0.0.1:" + seedPort)
        || lost.path("statusReason").asText().contains("no member of the cluster runs host h1"), lost::toString);

    // the two-seed layout: with a running node as a seed, the restarted seed joins the one cluster
    seed.kill();
    seed = NodeProcess.start(dir, "seed-h1-joins", seedPort, seedApi, List.of("--roles", "seed,host",
        "--seeds", "127.0.0.1:" + b.port + ",127.0.0.1:" + seedPort, "--host-id", "h1", "--data-dir", data.toString()));
    Await.until("the running cluster lists the seed Up", WAIT, () -> api.get("/api/cluster").body(),
        body -> body.contains("127.0.0.1:" + seedPort) && !body.contains("\"unreachable\":[\"")
            && clusterMembersUp(body) == 3);
    TestNodes.awaitHostsUp(api, "h1", "h2", "h3");
  }

  private static int clusterMembersUp(String body) {
    JsonNode cluster;
    try {
      cluster = Api.JSON.readTree(body);
    } catch (java.io.IOException e) {
      return 0;
    }
    int up = 0;
    for (JsonNode m : cluster.path("members")) if (m.path("status").asText().equals("Up")) up++;
    return up;
  }
}
