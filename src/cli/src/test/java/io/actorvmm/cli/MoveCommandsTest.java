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

  @Test
  void rebalanceByCostSendsItsHorizonAndExplainsEachMove() {
    node.ok("POST", "/api/cluster/rebalance", new RebalanceInfo(50, 0, List.of(new RebalanceInfo.Step("vm-1", "pricey",
        "cheap", "planned", 7.2, 0.72, 2.0, 153.52, "7.20/h → 0.72/h, transfer 2.00, net saving 153.52 over 24 h")),
        "stopped after 1 move (the step's bound)", true, "cost", 24.0, 14.4, 7.92,
        List.of(new RebalanceInfo.NotMoved("vm-2", "pricey", "cheap", "7.20/h → 0.72/h, transfer 2.00, net saving "
            + "153.52 over 24 h; left for a later step (the step's bound)")), 1));

    Result r = Cli.run(node.address(), "cluster", "rebalance", "--by", "cost", "--dry-run", "--max-moves", "1");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals("cost of running VMs: 14.40/h now, 7.92/h after this step (dry run)", lines.get(0));
    assertTrue(lines.get(1).matches("\\s+VM\\s+FROM\\s+TO\\s+COST/H NOW\\s+AFTER\\s+TRANSFER\\s+NET OVER 24 H\\s+OUTCOME"),
        r::toString);
    assertTrue(lines.get(2).matches("\\s+vm-1\\s+pricey\\s+cheap\\s+7.20\\s+0.72\\s+2.00\\s+153.52\\s+planned"),
        r::toString);
    assertEquals("not moved although a cheaper host is up:", lines.get(3));
    assertTrue(lines.get(5).matches("\\s+vm-2\\s+pricey\\s+cheap\\s+7.20/h .* left for a later step \\(the step's bound\\)"),
        r::toString);
    assertEquals("stopped after 1 move (the step's bound)", lines.get(lines.size() - 1));
    assertEquals(Map.of("dry-run", "true", "max-moves", "1", "by", "cost", "horizon-hours", "24.0"), node.only().query());

    Result json = Cli.run(node.address(), "cluster", "rebalance", "--by", "cost", "--horizon-hours", "2.5", "-o", "json");
    assertEquals(0, json.exit(), json::toString);
    assertTrue(json.out().contains("\"transferCost\" : 2.0") || json.out().contains("\"transferCost\":2.0"), json::toString);
    assertEquals("2.5", node.requests().get(1).query().get("horizon-hours"));
  }

  @Test
  void rebalanceRefusesAnUnknownModeOrHorizonWithExitTwoAndSendsNothing() {
    Result unknown = Cli.run(node.address(), "cluster", "rebalance", "--by", "cheapest");
    assertEquals(2, unknown.exit(), unknown::toString);
    assertEquals(List.of("error: --by must be load or cost, not 'cheapest'"), unknown.err().lines().toList());
    Result horizon = Cli.run(node.address(), "cluster", "rebalance", "--by", "cost", "--horizon-hours", "0");
    assertEquals(2, horizon.exit(), horizon::toString);
    assertEquals(1, horizon.err().lines().count(), horizon::toString);
    assertTrue(horizon.err().contains("--horizon-hours must be above zero"), horizon::toString);
    assertEquals(List.of(), node.requests(), "nothing sent");

    // the node's own refusal is one line and exit 2 as well
    node.error("POST", "/api/cluster/rebalance", 400, "by must be load or cost, not 'x'");
    Result refused = Cli.run(node.address(), "cluster", "rebalance", "--by", "cost");
    assertEquals(2, refused.exit(), refused::toString);
    assertEquals(1, refused.err().lines().count(), refused::toString);
  }

  @Test
  void aMoveShowsWhatTransferringItsDataCosts() {
    MoveInfo started = new MoveInfo("web-1", 4, "active", "h1", "far-1", false, List.of(), null, null, -1, "alice",
        null, null, 2.5);
    node.answer("POST", "/api/vms/web-1/move", 202, started);
    node.ok("GET", "/api/vms/web-1/move", new MoveInfo("web-1", 4, "completed", "h1", "far-1", false,
        List.of("vm-claimed"), null, "vm runs on far-1", -1, "alice", null, null, 2.5));

    Result r = Cli.run(node.address(), "vm", "move", "web-1", "--to", "far-1");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals("move 4 of vm web-1: h1 -> far-1, transfer cost 2.50", lines.get(0));
    assertEquals("move 4 of vm web-1 completed: h1 -> far-1, transfer cost 2.50 (vm runs on far-1)",
        lines.get(lines.size() - 1));
  }
}
