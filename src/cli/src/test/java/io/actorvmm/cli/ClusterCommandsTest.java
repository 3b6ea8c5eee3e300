package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.api.model.ClusterInfo;
import io.actorvmm.api.model.LeaderInfo;
import io.actorvmm.api.model.MessageBody;
import io.actorvmm.api.model.ShardingStats;
import io.actorvmm.cli.Cli.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterCommandsTest {
  private static final String A = "pekko://avm@10.0.0.1:2551";
  private static final String B = "pekko://avm@10.0.0.2:2551";

  private StubNode node;

  @BeforeEach
  void start() {
    node = new StubNode();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void showListsMembersAndMarksTheUnreachable() {
    node.ok("GET", "/api/cluster", new ClusterInfo(A, A, A, List.of(
        new ClusterInfo.Member(A, "Up", List.of("api", "host"), 1),
        new ClusterInfo.Member(B, "Up", List.of("host"), 2)), List.of(B)));

    Result r = Cli.run(node.address(), "cluster", "show");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "self:         " + A,
        "leader:       " + A,
        "oldest:       " + A,
        "unreachable:  " + B,
        "",
        "MEMBER                     STATUS  REACHABLE  ROLES     UP#",
        A + "  Up      yes        api,host  1",
        B + "  Up      no         host      2"), r.out().lines().toList());
  }

  @Test
  void leaderPrintsTheAddressOrSaysThereIsNone() {
    node.ok("GET", "/api/cluster/leader", new LeaderInfo(A));
    Result some = Cli.run(node.address(), "cluster", "leader");
    node.ok("GET", "/api/cluster/leader", new LeaderInfo(null));
    Result none = Cli.run(node.address(), "cluster", "leader");

    assertEquals(A, some.out().strip());
    assertEquals("no leader at the moment", none.out().strip());
  }

  @Test
  void leaveAndDownPostTheAddress() {
    node.ok("POST", "/api/cluster/leave", MessageBody.of("leaving: " + B));
    node.ok("POST", "/api/cluster/down", MessageBody.of("downing: " + B));

    Result leave = Cli.run(node.address(), "cluster", "leave", B);
    Result down = Cli.run(node.address(), "cluster", "down", B);

    assertEquals(0, leave.exit(), leave::toString);
    assertEquals(0, down.exit(), down::toString);
    List<StubNode.Request> reqs = node.requests();
    assertEquals("/api/cluster/leave", reqs.get(0).path());
    assertEquals("/api/cluster/down", reqs.get(1).path());
    for (StubNode.Request q : reqs) {
      assertEquals("POST", q.method());
      assertEquals(StubNode.tree(Map.of("address", B)), q.json());
    }
    assertEquals("leaving: " + B, leave.out().strip());
  }

  @Test
  void leaveNeedsAnAddress() {
    Result r = Cli.run(node.address(), "cluster", "leave");

    assertEquals(2, r.exit());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void downUnreachableListsWhatWasDowned() {
    node.ok("POST", "/api/cluster/down-unreachable", new MessageBody("downed 1 unreachable member", List.of(B)));

    Result r = Cli.run(node.address(), "cluster", "down-unreachable");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("POST", node.only().method());
    assertEquals("", node.only().body());
    assertEquals(List.of("downed 1 unreachable member", "  downed " + B), r.out().lines().toList());
  }

  @Test
  void regionStatsShowsShardsAndEntitiesPerNode() {
    node.ok("GET", "/api/cluster/sharding", new ShardingStats(List.of(new ShardingStats.TypeStats("Vm", List.of(
        new ShardingStats.RegionStats(A, Map.of("1", 3, "7", 4)),
        new ShardingStats.RegionStats(B, Map.of("2", 5))), 3, 12))));

    Result r = Cli.run(node.address(), "cluster-sharding", "region-stats");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "TYPE  REGION                     SHARDS  ENTITIES",
        "Vm    " + A + "  2       7",
        "Vm    " + B + "  1       5",
        "Vm    (total)                    3       12"), r.out().lines().toList());
  }
}
