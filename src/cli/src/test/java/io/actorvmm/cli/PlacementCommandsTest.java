package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.model.PlacementExplain;
import io.actorvmm.api.model.WhatIfInfo;
import io.actorvmm.cli.Cli.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code avm placement explain} and {@code avm placement what-if} against a stub node. */
class PlacementCommandsTest {
  private StubNode node;

  @BeforeEach
  void start() {
    node = new StubNode();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static Map<String, Double> scores(Object... nameScore) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < nameScore.length; i += 2) out.put((String) nameScore[i], (Double) nameScore[i + 1]);
    return out;
  }

  static PlacementExplain placed() {
    return new PlacementExplain("web-1", "running", "h2", "web", "shop", "pack:1,cost:2", false, "h2",
        "placed on h2: 3 hosts, 2 passed, 1 lacked memory", null, List.of(
            new PlacementExplain.HostRow("h2", "chosen", null, null, 2.1, scores("pack", 0.9, "cost", 0.6)),
            new PlacementExplain.HostRow("h1", "passed", null, null, 1.5, scores("pack", 0.5, "cost", 0.5)),
            new PlacementExplain.HostRow("h3", "rejected", "capacity", "lacked memory (needs 4096 MiB, 1024 free)",
                null, null)));
  }

  static PlacementExplain pending() {
    String summary = "no host fits: 2 hosts, 2 broke anti-affinity of web";
    return new PlacementExplain("web-3", "pending", null, "web", "shop", "pack", true, null, summary, summary,
        List.of(
            new PlacementExplain.HostRow("h1", "rejected", "distinct-hosts", "broke anti-affinity of web (1 replica there)",
                null, null),
            new PlacementExplain.HostRow("h2", "rejected", "distinct-hosts", "broke anti-affinity of web (1 replica there)",
                null, null)));
  }

  static WhatIfInfo hostLost() {
    return new WhatIfInfo("host h1 lost",
        "host h1 lost: 1 VM restart elsewhere, 1 left down; service shop loses availability",
        List.of(new WhatIfInfo.Move("web-1", "web", "shop", "h1", "h3", 1)),
        List.of(new WhatIfInfo.Unplaced("db-1", "db", "shop", "h1", "its data lived only on h1")),
        List.of(new WhatIfInfo.ServiceImpact("shop",
            new WhatIfInfo.Health("available", "all 2 applications are up"),
            new WhatIfInfo.Health("unavailable", "db has no running replica"),
            new WhatIfInfo.Health("unavailable", "db has no running replica"))));
  }

  // ---- explain ----

  @Test
  void explainOfAPlacedVmShowsSummaryPolicyAndEveryHostsVerdictWithScores() {
    node.ok("GET", "/api/vms/web-1/placement", placed());

    Result r = Cli.run(node.address(), "placement", "explain", "web-1");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err());
    assertEquals("GET /api/vms/web-1/placement", node.only().method() + " " + node.only().path());
    assertEquals(List.of(
        "vm:        web-1",
        "phase:     running",
        "host:      h2",
        "app:       web",
        "service:   shop",
        "policy:    pack:1,cost:2",
        "decision:  placed on h2: 3 hosts, 2 passed, 1 lacked memory",
        "",
        "HOST  OUTCOME   SCORE  SCORES              FILTER    REASON",
        "h2    chosen    2.1    pack 0.9, cost 0.6  -         -",
        "h1    passed    1.5    pack 0.5, cost 0.5  -         -",
        "h3    rejected  -      -                   capacity  lacked memory (needs 4096 MiB, 1024 free)"),
        r.out().lines().toList());
  }

  @Test
  void explainOfAPendingVmSaysWhyItWaitsAndNamesTheRule() {
    node.ok("GET", "/api/vms/web-3/placement", pending());

    Result r = Cli.run(node.address(), "placement", "explain", "web-3");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains("phase:     pending"), r::toString);
    assertTrue(lines.contains("policy:    pack (cluster default)"), r::toString);
    assertTrue(lines.contains("decision:  no host fits: 2 hosts, 2 broke anti-affinity of web"), r::toString);
    assertTrue(lines.contains("waiting:   no host fits: 2 hosts, 2 broke anti-affinity of web; "
        + "it is placed as soon as a host can take it"), r::toString);
    assertFalse(r.out().contains("host:"), "a pending VM has no host: " + r);
    assertTrue(lines.contains("h1    rejected  -      -       distinct-hosts  broke anti-affinity of web (1 replica there)"),
        r::toString);
  }

  @Test
  void explainAsJsonIsTheNodesAnswer() {
    node.ok("GET", "/api/vms/web-3/placement", pending());

    Result r = Cli.run(node.address(), "placement", "explain", "web-3", "-o", "json");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(StubNode.tree(pending()), StubNode.tree(r.out()));
  }

  @Test
  void explainOfAnUnknownOrNeverPlacedVmIsExitTwoWithTheNodesLine() {
    node.error("GET", "/api/vms/ghost/placement", 404, "vm ghost not found");
    node.error("GET", "/api/vms/spare/placement", 409,
        "vm spare has no placement decision yet: it is defined and was never started");

    Result unknown = Cli.run(node.address(), "placement", "explain", "ghost");
    Result never = Cli.run(node.address(), "placement", "explain", "spare");

    assertEquals(2, unknown.exit());
    assertEquals("error: vm ghost not found", unknown.err().strip());
    assertEquals("", unknown.out());
    assertEquals(2, never.exit());
    assertEquals("error: vm spare has no placement decision yet: it is defined and was never started", never.err().strip());
  }

  @Test
  void explainWhenTheClusterCannotAnswerIsExitOne() {
    node.error("GET", "/api/vms/web-1/placement", 503, "the cluster did not answer in time; try again");

    Result r = Cli.run(node.address(), "placement", "explain", "web-1");

    assertEquals(1, r.exit());
    assertEquals("error: the cluster did not answer in time; try again", r.err().strip());
  }

  @Test
  void explainOfABadIdOrWithoutAVmIsBadUsageAndSendsNothing() {
    Result badId = Cli.run(node.address(), "placement", "explain", "Web_1!");
    Result missing = Cli.run(node.address(), "placement", "explain");
    Result noVerb = Cli.run(node.address(), "placement");

    assertEquals(2, badId.exit());
    assertTrue(badId.err().startsWith("error: vm id 'Web_1!' must be"), badId::toString);
    assertEquals(2, missing.exit());
    assertTrue(missing.err().startsWith("error: Missing required parameter: 'VM'"), missing::toString);
    assertEquals(2, noVerb.exit());
    assertTrue(noVerb.err().contains("needs a verb: explain, what-if"), noVerb::toString);
    assertTrue(node.requests().isEmpty());
  }

  // ---- what-if ----

  @Test
  void whatIfLoseHostPostsTheScenarioAndPrintsMovesUnplacedAndAvailability() {
    node.ok("POST", "/api/placement/what-if", hostLost());

    Result r = Cli.run(node.address(), "placement", "what-if", "--lose-host", "h1");

    assertEquals(0, r.exit(), r::toString);
    StubNode.Request req = node.only();
    assertEquals("POST", req.method());
    assertEquals("application/json", req.contentType());
    assertEquals("lose-host", req.json().get("kind").asText());
    assertEquals("h1", req.json().get("host").asText());
    assertEquals(List.of(
        "host h1 lost: 1 VM restart elsewhere, 1 left down; service shop loses availability",
        "",
        "moves:",
        "  WAVE  VM     APP  SERVICE  FROM  TO",
        "  1     web-1  web  shop     h1    h3",
        "unplaced:",
        "  VM    APP  SERVICE  FROM  REASON",
        "  db-1  db   shop     h1    its data lived only on h1",
        "availability:",
        "  SERVICE  BEFORE     DURING       AFTER",
        "  shop     available  unavailable  unavailable",
        "  shop during: db has no running replica"), r.out().lines().toList());
  }

  @Test
  void whatIfWithNothingToChangeSaysSo() {
    node.ok("POST", "/api/placement/what-if", new WhatIfInfo("host h9 drained",
        "host h9 drained: 0 VMs move, 0 cannot move; no service loses availability", List.of(), List.of(), List.of()));

    Result r = Cli.run(node.address(), "placement", "what-if", "--drain-host", "h9");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("drain-host", node.only().json().get("kind").asText());
    assertEquals(List.of("host h9 drained: 0 VMs move, 0 cannot move; no service loses availability", "",
        "moves: none", "unplaced: none", "availability: no service changes"), r.out().lines().toList());
  }

  @Test
  void whatIfRulesAndReplicasSendAppCountAndService() {
    node.ok("POST", "/api/placement/what-if", hostLost());

    assertEquals(0, Cli.run(node.address(), "placement", "what-if", "--add-rule", "distinct:web").exit());
    assertEquals(0, Cli.run(node.address(), "placement", "what-if", "--add-rule", "max-per-host:web=2",
        "--service", "shop").exit());
    assertEquals(0, Cli.run(node.address(), "placement", "what-if", "--more-replicas", "web=3").exit());

    List<JsonNode> bodies = node.requests().stream().map(StubNode.Request::json).toList();
    assertEquals("distinct-hosts", bodies.get(0).get("kind").asText());
    assertEquals("web", bodies.get(0).get("app").asText());
    assertTrue(bodies.get(0).get("service").isNull());
    assertTrue(bodies.get(0).get("count").isNull());
    assertEquals("max-per-host", bodies.get(1).get("kind").asText());
    assertEquals("web", bodies.get(1).get("app").asText());
    assertEquals("shop", bodies.get(1).get("service").asText());
    assertEquals(2, bodies.get(1).get("count").asInt());
    assertEquals("more-replicas", bodies.get(2).get("kind").asText());
    assertEquals(3, bodies.get(2).get("count").asInt());
  }

  @Test
  void whatIfNewReplicasReadAsNew() {
    node.ok("POST", "/api/placement/what-if", new WhatIfInfo("2 more replicas of web in shop",
        "2 more replicas of web in shop: 1 VM placed, 1 left unplaced; no service loses availability",
        List.of(new WhatIfInfo.Move("web-new-1", "web", "shop", null, "h2", 1)),
        List.of(new WhatIfInfo.Unplaced("web-new-2", "web", "shop", null, "no host fits: 2 hosts, 2 lacked memory")),
        List.of()));

    Result r = Cli.run(node.address(), "placement", "what-if", "--more-replicas", "web=2");

    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().lines().anyMatch("  1     web-new-1  web  shop     (new)  h2"::equals), r::toString);
    assertTrue(r.out().lines().anyMatch(
        "  web-new-2  web  shop     (new)  no host fits: 2 hosts, 2 lacked memory"::equals), r::toString);
  }

  @Test
  void whatIfAsJsonIsTheNodesAnswer() {
    node.ok("POST", "/api/placement/what-if", hostLost());

    Result r = Cli.run(node.address(), "-o", "json", "placement", "what-if", "--lose-host", "h1");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(StubNode.tree(hostLost()), StubNode.tree(r.out()));
  }

  @Test
  void whatIfBadScenariosAreBadUsageAndSendNothing() {
    String[][] bad = {
        {},
        {"--lose-host", "h1", "--drain-host", "h2"},
        {"--add-rule", "colocate:web"},
        {"--add-rule", "distinct:"},
        {"--add-rule", "max-per-host:web"},
        {"--add-rule", "max-per-host:web=0"},
        {"--more-replicas", "web=two"},
        {"--more-replicas", "web=-1"},
        {"--more-replicas", "Web!=1"},
        {"--lose-host", "h1", "--service", "shop"},
        {"--lose-host", "H 1"},
    };
    String[] expected = {
        "error: what-if needs one scenario: --lose-host H, --drain-host H, --add-rule distinct:APP, "
            + "--add-rule max-per-host:APP=N or --more-replicas APP=N",
        "error: one scenario at a time: --lose-host and --drain-host were both given",
        "error: unknown rule 'colocate:web'; use distinct:APP or max-per-host:APP=N",
        "error: --add-rule distinct needs an app: distinct:APP",
        "error: --add-rule max-per-host 'web' is not max-per-host:APP=N",
        "error: --add-rule max-per-host: the count must be at least 1, not 0",
        "error: --more-replicas: 'two' is not a whole number",
        "error: --more-replicas: the count must be at least 1, not -1",
        "error: app name 'Web!'",
        "error: --service applies only to --add-rule and --more-replicas",
        "error: host id 'H 1'",
    };
    for (int i = 0; i < bad.length; i++) {
      String[] args = new String[bad[i].length + 3];
      args[0] = node.address();
      args[1] = "placement";
      args[2] = "what-if";
      System.arraycopy(bad[i], 0, args, 3, bad[i].length);
      Result r = Cli.run(args);
      String want = expected[i];
      assertEquals(2, r.exit(), r::toString);
      assertEquals(1, r.err().lines().count(), () -> "one line: " + r);
      assertTrue(r.err().startsWith(want), () -> "expected '" + want + "': " + r);
      assertEquals("", r.out());
    }
    assertTrue(node.requests().isEmpty(), () -> "sent: " + node.requests());
  }

  @Test
  void whatIfRefusedByTheNodeIsExitTwo() {
    node.error("POST", "/api/placement/what-if", 404, "host h9 not found");

    Result r = Cli.run(node.address(), "placement", "what-if", "--lose-host", "h9");

    assertEquals(2, r.exit());
    assertEquals("error: host h9 not found", r.err().strip());
    assertEquals("", r.out());
  }
}
