package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.api.model.DrainInfo;
import io.actorvmm.api.model.MoveInfo;
import io.actorvmm.api.model.RebalanceInfo;
import io.actorvmm.cli.Cli.Result;
import io.actorvmm.domain.whatif.Move;
import io.actorvmm.domain.whatif.Unplaced;
import io.actorvmm.domain.whatif.WhatIfResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** vm move, host drain/undrain/replace and cluster rebalance against a stub node. */
class MoveCommandsTest {
  private StubNode node;

  @BeforeEach
  void start() {
    node = new StubNode();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static MoveInfo move(String status, List<String> steps, String fallback) {
    return new MoveInfo("web-1", 3, status, "h1", "h2", false, steps, fallback, "vm runs on h2", -1, "alice", null,
        null);
  }

  @Test
  void moveFollowsTheMoveUntilItEndsAndPrintsEachStep() {
    node.answer("POST", "/api/vms/web-1/move", 202, move("active", List.of(), null));
    node.ok("GET", "/api/vms/web-1/move", move("completed", List.of("vm-claimed", "source-stopped", "data-exported",
        "data-imported", "vm-assigned", "target-started", "source-cleaned"), null));

    Result r = Cli.run(node.address(), "vm", "move", "web-1", "--to", "h2", "--reason", "maintenance");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals("move 3 of vm web-1: h1 -> h2", lines.get(0));
    assertTrue(lines.contains("  data-imported"), r::toString);
    assertEquals("move 3 of vm web-1 completed: h1 -> h2 (vm runs on h2)", lines.get(lines.size() - 1));
    StubNode.Request post = node.requests().get(0);
    assertEquals("h2", post.json().path("to").asText());
    assertEquals(false, post.json().path("live").asBoolean());
    assertEquals("maintenance", post.json().path("reason").asText());
  }

  @Test
  void aMoveThatFellBackExitsOneWithTheReason() {
    node.answer("POST", "/api/vms/web-1/move", 202, move("active", List.of(), null));
    node.ok("GET", "/api/vms/web-1/move", move("failed", List.of("vm-claimed", "target-discarded",
        "source-restarted"), "start of web-1 failed"));

    Result r = Cli.run(node.address(), "vm", "move", "web-1");

    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.out().contains("failed: h1 -> h2; fell back: start of web-1 failed"), r::toString);
  }

  @Test
  void badIdsAndRefusalsAreOneLineWithExitTwo() {
    Result bad = Cli.run(node.address(), "vm", "move", "Bad!");
    assertEquals(2, bad.exit(), bad::toString);
    assertEquals(List.of(), node.requests(), "nothing sent");
    node.error("POST", "/api/vms/db-1/move", 409, "vm db-1 is pinned to host h1: its spec is not relocatable");
    Result pinned = Cli.run(node.address(), "vm", "move", "db-1");
    assertEquals(2, pinned.exit(), pinned::toString);
    assertEquals(1, pinned.err().lines().count(), pinned::toString);
    assertTrue(pinned.err().contains("pinned to host h1"), pinned::toString);
  }

  @Test
  void drainDryRunPrintsThePlanWithWhyAVmWaits() {
    WhatIfResult plan = new WhatIfResult("host a drained", List.of(new Move("db-1", "db", "shop", "a", "c", 1)),
        List.of(new Unplaced("web-1", "web", "shop", "a", "stays on a: no host fits: b already runs 1 replica of web")),
        List.of(), "host a drained: 1 VM moves, 1 cannot move; no service loses availability");
    node.ok("POST", "/api/hosts/a/drain", plan);

    Result r = Cli.run(node.address(), "host", "drain", "a", "--dry-run");

    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("plan: host a drained: 1 VM moves, 1 cannot move"), r::toString);
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+1\\s+db-1\\s+db\\s+a\\s+c")), r::toString);
    assertTrue(r.out().contains("web-1  web  stays on a: no host fits: b already runs 1 replica of web"), r::toString);
    assertTrue(node.only().json().path("dryRun").asBoolean());
  }

  @Test
  void drainAndUndrainPrintTheHostsState() {
    node.ok("POST", "/api/hosts/a/drain", new DrainInfo("a", "maintenance", "draining: requested by alice", true, null,
        List.of("web-1"), List.of(), Map.of("web-1", "vm web-1 cannot move: no host fits"), null));
    Result r = Cli.run(node.address(), "host", "drain", "a");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("host a: maintenance (draining: requested by alice)"), r::toString);
    assertTrue(r.out().contains("web-1    vm web-1 cannot move: no host fits"), r::toString);

    node.ok("POST", "/api/hosts/a/undrain", new DrainInfo("a", "up", "returned to service by alice", false, null,
        List.of("web-1"), List.of(), Map.of(), null));
    Result u = Cli.run(node.address(), "host", "undrain", "a");
    assertEquals(0, u.exit(), u::toString);
    assertTrue(u.out().startsWith("host a: up (returned to service by alice)"), u::toString);

    Result self = Cli.run(node.address(), "host", "replace", "a", "--with", "a");
    assertEquals(2, self.exit(), self::toString);
  }

  @Test
  void rebalanceDryRunSendsItsBoundAndPrintsThePlan() {
    node.ok("POST", "/api/cluster/rebalance", new RebalanceInfo(50, 0, List.of(new RebalanceInfo.Step("vm-1", "h1",
        "h2", "planned")), "the load is even", true));

    Result r = Cli.run(node.address(), "cluster", "rebalance", "--dry-run", "--max-moves", "3");

    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().startsWith("spread of CPU load: 50.0% now, 0.0% after this step (dry run)"), r::toString);
    assertTrue(r.out().contains("vm-1  h1    h2  planned"), r::toString);
    assertEquals(Map.of("dry-run", "true", "max-moves", "3"), node.only().query());
  }
}
