package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AvmNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Placement for operators against a real node with four simulated hosts, one of them (h4) crashed
 * and Down: a service whose four web replicas must run on distinct hosts (possible once h4 is back)
 * leaves one Pending, and {@code placement explain} names the rule; {@code placement what-if --lose-host} shows the database moving and the
 * service losing availability; service rules go through define and show; bad input is 400 / exit 2
 * and nothing reaches the journal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlacementCliTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Four web replicas on distinct hosts (one more than there are hosts) and a database; data survives a host. */
  private static final String SHOP = """
      {"name": "shop",
       "apps": [
         {"app": "web", "kind": "nginx", "replicas": 4,
          "vm": {"cpuCores": 2, "memoryMiB": 1024, "diskGiB": 1, "networkMbit": 10, "runtime": "simulated",
                 "image": "web.qcow2", "relocatable": true, "data": "REPLICATED"}},
         {"app": "db", "kind": "postgres", "replicas": 1,
          "vm": {"cpuCores": 4, "memoryMiB": 4096, "diskGiB": 10, "networkMbit": 10, "runtime": "simulated",
                 "image": "db.qcow2", "relocatable": true, "data": "REPLICATED", "restartPriority": 10}}],
       "rules": {"distinctHosts": ["web"], "maxUnavailable": 1, "placementPolicy": "spread"}}
      """;

  /** Rules that are only defined, never started: affinity, max per host, a weighted policy and autoscaling. */
  private static final String RULES = """
      {"name": "rules",
       "apps": [
         {"app": "api", "kind": "java", "replicas": 2,
          "vm": {"cpuCores": 1, "memoryMiB": 512, "runtime": "simulated", "relocatable": true, "site": "local",
                 "localSitesOnly": true, "data": "DISPOSABLE", "restartPriority": 3}},
         {"app": "cache", "kind": "redis", "replicas": 1,
          "vm": {"cpuCores": 1, "memoryMiB": 256, "runtime": "simulated", "relocatable": true}}],
       "rules": {"affinity": [["api", "cache"]], "maxPerHost": {"api": 1}, "maxUnavailable": 0,
                 "placementPolicy": "pack:1,cost:2",
                 "autoscale": [{"app": "api", "upperActivity": 0.8, "lowerActivity": 0.2, "window": "PT5M",
                                "minReplicas": 2, "maxReplicas": 4}]}}
      """;

  private Path dir;
  private AvmNode node;
  private Api api;
  private Cli cli;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("placement");
    node = TestNodes.startAndAwaitHosts(TestNodes.single(dir, "h1", "h2", "h3", "h4"));
    api = new Api(node.apiPort(), "dave");
    // h4 crashes: it stays registered (so four distinct replicas are possible) but takes nothing now
    ((io.actorvmm.adapters.simulated.SimulatedHypervisor) node.runtime().adapter("h4")).crash();
    Await.until("h4 down", WAIT, () -> api.get("/api/hosts/h4").ok().path("status").asText(), "down"::equals);
    cli = new Cli("127.0.0.1:" + node.apiPort(), "dave");
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(node);
    TestNodes.deleteQuietly(dir);
  }

  private static void assertOk(Cli.Result r) {
    assertEquals(0, r.code(), () -> "expected success: " + r);
    assertEquals("", r.err(), () -> "nothing on stderr: " + r);
  }

  /** Exit {@code code}, exactly one line on stderr starting "error: " and containing {@code fragment}, nothing on stdout. */
  private static void assertFails(int code, String fragment, Cli.Result r) {
    assertEquals(code, r.code(), () -> "exit code: " + r);
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), () -> "one line on stderr: " + r);
    assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(fragment),
        () -> "error line with '" + fragment + "': " + r);
    assertEquals("", r.out(), () -> "nothing on stdout: " + r);
  }

  private static boolean hasLine(String text, String regex) {
    return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
  }

  private Path file(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  /** The ids of the VMs of {@code app} in {@code phase}, from GET /api/apps/{app}. */
  private List<String> replicas(String app, String phase) {
    List<String> out = new ArrayList<>();
    for (JsonNode vm : api.get("/api/apps/" + app).ok().path("vms")) {
      if (phase.equals(vm.path("phase").asText())) out.add(vm.path("vmId").asText());
    }
    return out;
  }

  private String pendingWeb;

  @Test
  @Order(1)
  void aReplicaThatBreaksAntiAffinityWaitsAndExplainNamesTheRule() throws Exception {
    Cli.Result defined = cli.run("service", "define", file("shop.json", SHOP).toString());
    assertOk(defined);
    assertOk(cli.run("service", "start", "shop"));

    Await.until("three web replicas running and one pending", WAIT,
        () -> replicas("web", "running").size() == 3 && replicas("web", "pending").size() == 1
            && replicas("db", "running").size() == 1);
    pendingWeb = replicas("web", "pending").get(0);

    Cli.Result explained = cli.run("placement", "explain", pendingWeb);
    assertOk(explained);
    String out = explained.out();
    assertTrue(hasLine(out, "^phase:\\s+pending$"), explained::toString);
    assertTrue(hasLine(out, "^service:\\s+shop$"), explained::toString);
    assertTrue(hasLine(out, "^policy:\\s+spread$"), "the service's own policy: " + explained);
    assertTrue(hasLine(out, "^decision:\\s+no host fits: 4 hosts, 3 broke anti-affinity of web, 1 is down$"),
        explained::toString);
    assertTrue(hasLine(out, "^waiting:\\s+no host fits: 4 hosts, 3 broke anti-affinity of web, 1 is down; "
        + "it is placed as soon as a host can take it$"), explained::toString);
    for (String h : List.of("h1", "h2", "h3")) {
      assertTrue(hasLine(out, "^" + h + "\\s+rejected\\s+-\\s+-\\s+distinct-hosts\\s+broke anti-affinity of web"),
          () -> h + " rejected by the rule: " + explained);
    }
    assertTrue(hasLine(out, "^h4\\s+rejected\\s+-\\s+-\\s+status\\s+host is down"), explained::toString);

    JsonNode json = cli.run("placement", "explain", pendingWeb, "-o", "json").json();
    assertEquals(api.get("/api/vms/" + pendingWeb + "/placement").ok(), json, "the JSON is the API's answer");
    assertEquals("pending", json.path("phase").asText());
    assertEquals("spread", json.path("policy").asText());
    assertEquals(false, json.path("policyDefault").asBoolean());
    assertTrue(json.path("chosenHost").isNull());
    assertEquals(4, json.path("hosts").size());

    // vm list and vm show say why it waits
    Cli.Result list = Await.until("vm list shows the pending replica", WAIT, () -> cli.run("vm", "list"),
        r -> r.out().contains("pending " + pendingWeb + ": "));
    assertTrue(hasLine(list.out(), "^pending " + Pattern.quote(pendingWeb) + ": no host fits: 4 hosts, "
        + "3 broke anti-affinity of web, 1 is down$"), list::toString);
    Cli.Result shown = cli.run("vm", "show", pendingWeb);
    assertOk(shown);
    assertTrue(hasLine(shown.out(), "^reason:\\s+no host fits: 4 hosts, 3 broke anti-affinity of web, 1 is down$"),
        shown::toString);
    assertTrue(hasLine(shown.out(), "^waiting:\\s+fits on no host yet"), shown::toString);
  }

  @Test
  @Order(2)
  void explainOfAPlacedVmShowsTheChosenHostAndScores() {
    String db = replicas("db", "running").get(0);
    JsonNode vm = api.get("/api/vms/" + db).ok();

    Cli.Result explained = cli.run("placement", "explain", db);

    assertOk(explained);
    String host = vm.path("hostId").asText();
    assertTrue(hasLine(explained.out(), "^decision:\\s+placed on " + host + ": 4 hosts, 3 passed, 1 is down$"),
        explained::toString);
    assertTrue(hasLine(explained.out(), "^" + host + "\\s+chosen\\s+[0-9.]+\\s+spread [0-9.]+\\s"), explained::toString);
    assertEquals(2, explained.out().lines().filter(l -> l.matches("^h[123]\\s+passed\\s+[0-9.]+\\s+spread .*")).count(),
        explained::toString);
  }

  @Test
  @Order(3)
  void whatIfLosingTheDatabaseHostMovesItAndTheServiceLosesAvailability() {
    String db = replicas("db", "running").get(0);
    String dbHost = api.get("/api/vms/" + db).ok().path("hostId").asText();
    int eventsBefore = api.auditLog().size();

    Cli.Result text = cli.run("placement", "what-if", "--lose-host", dbHost);

    assertOk(text);
    String out = text.out();
    assertTrue(out.startsWith("host " + dbHost + " lost: 1 VM restart elsewhere, 1 left down; "
        + "service shop loses availability\n"), text::toString);
    assertTrue(hasLine(out, "^  1\\s+" + db + "\\s+db\\s+shop\\s+" + dbHost + "\\s+h[123]$"), "db moves: " + text);
    assertTrue(hasLine(out, "^  web-\\d\\s+web\\s+shop\\s+" + dbHost
        + "\\s+no host fits: 4 hosts, 2 broke anti-affinity of web, 2 are down$"), "web left down: " + text);
    assertTrue(hasLine(out, "^  shop\\s+degraded\\s+unavailable\\s+degraded$"), "availability: " + text);

    JsonNode json = cli.run("placement", "what-if", "--lose-host", dbHost, "--output", "json").json();
    assertEquals(api.postJson("/api/placement/what-if", Map.of("kind", "lose-host", "host", dbHost)).ok(), json);
    assertEquals(1, json.path("moves").size());
    JsonNode move = json.path("moves").get(0);
    assertEquals(db, move.path("vmId").asText());
    assertNotEquals(dbHost, move.path("toHost").asText());
    JsonNode impact = json.path("services").get(0);
    assertEquals("shop", impact.path("service").asText());
    assertEquals("degraded", impact.path("before").path("availability").asText());
    assertEquals("unavailable", impact.path("during").path("availability").asText());
    assertEquals("db is down (0 of 1 running)", impact.path("during").path("reason").asText());

    // a drain and a rule change run as well
    Cli.Result drain = cli.run("placement", "what-if", "--drain-host", dbHost);
    assertOk(drain);
    assertTrue(drain.out().startsWith("host " + dbHost + " drained: "), drain::toString);
    Cli.Result more = cli.run("placement", "what-if", "--more-replicas", "db=1");
    assertOk(more);
    assertTrue(more.out().startsWith("1 more replica of db in shop: 1 VM placed, 0 left unplaced"), more::toString);

    // nothing changed: the hosts still hold what they held and the journal has no new events from it
    assertEquals(dbHost, api.get("/api/vms/" + db).ok().path("hostId").asText());
    assertEquals("up", api.hostStatus(dbHost));
    assertEquals(eventsBefore, api.auditLog().size(), "a what-if persists nothing");
  }

  @Test
  @Order(4)
  void rulesGoThroughDefineAndShow() throws Exception {
    Cli.Result defined = cli.run("service", "define", file("rules.json", RULES).toString());
    assertOk(defined);

    JsonNode spec = api.get("/api/services/rules").ok().path("spec");
    JsonNode rules = spec.path("rules");
    assertEquals("[[\"api\",\"cache\"]]", rules.path("affinity").toString());
    assertEquals(1, rules.path("maxPerHost").path("api").asInt());
    assertEquals(0, rules.path("maxUnavailable").asInt());
    assertEquals("pack:1,cost:2", rules.path("placementPolicy").asText());
    assertEquals("PT5M", rules.path("autoscale").get(0).path("window").asText());
    assertEquals(4, rules.path("autoscale").get(0).path("maxReplicas").asInt());
    JsonNode apiVm = spec.path("apps").get(0).path("vm");
    assertEquals("DISPOSABLE", apiVm.path("data").asText());
    assertEquals(3, apiVm.path("restartPriority").asInt());
    assertTrue(apiVm.path("localSitesOnly").asBoolean());

    Cli.Result shown = cli.run("service", "show", "rules");
    assertOk(shown);
    String out = shown.out();
    assertTrue(hasLine(out, "^  placement policy:\\s+pack:1,cost:2$"), shown::toString);
    assertTrue(hasLine(out, "^  max unavailable:\\s+0$"), shown::toString);
    assertTrue(hasLine(out, "^  affinity:\\s+api \\+ cache$"), shown::toString);
    assertTrue(hasLine(out, "^  max per host:\\s+api 1$"), shown::toString);
    assertTrue(hasLine(out, "^  autoscale api:\\s+above 0.8 → \\+1, below 0.2 → -1, over 5m, 2..4 replicas$"), shown::toString);
    assertTrue(hasLine(out, "^api\\s.*site local, local sites only, data disposable, priority 3"), shown::toString);
  }

  @Test
  @Order(5)
  void badInputIs400OrExitTwoAndPersistsNothing() throws Exception {
    int eventsBefore = api.auditLog().size();

    // what-if: bad scenarios are 400, unknown names 404, always one line
    assertTrue(api.post("/api/placement/what-if", "{\"kind\": \"lose-host\",").assertError(400).contains("malformed JSON"));
    assertTrue(api.post("/api/placement/what-if", null).assertError(400).contains("missing"));
    assertTrue(api.postJson("/api/placement/what-if", Map.of("kind", "explode")).assertError(400)
        .startsWith("unknown kind 'explode'"));
    assertEquals("lose-host needs a host", api.postJson("/api/placement/what-if", Map.of("kind", "lose-host"))
        .assertError(400));
    assertEquals("count must be at least 1, not 0", api.postJson("/api/placement/what-if",
        Map.of("kind", "more-replicas", "app", "web", "count", 0)).assertError(400));
    assertTrue(api.postJson("/api/placement/what-if", Map.of("kind", "max-per-host", "app", "web", "count", "many"))
        .assertError(400).contains("count"));
    assertEquals("host h9 not found", api.postJson("/api/placement/what-if", Map.of("kind", "drain-host", "host", "h9"))
        .assertError(404));
    assertEquals("app ghost not found in any service", api.postJson("/api/placement/what-if",
        Map.of("kind", "distinct-hosts", "app", "ghost")).assertError(404));
    // what-if takes services from the node's read side, which follows the journal a moment behind:
    // the service the previous test defined must be there before its rules can be questioned
    Await.until("service rules in the read side", WAIT, () -> api.get("/api/services").ok(),
        list -> list.findValuesAsText("name").contains("rules"));
    assertEquals("service rules has no app web", api.postJson("/api/placement/what-if",
        Map.of("kind", "distinct-hosts", "app", "web", "service", "rules")).assertError(404));
    api.get("/api/placement/what-if").assertError(405);

    // explain: unknown VM 404, a VM never started 409
    assertEquals("vm ghost not found", api.get("/api/vms/ghost/placement").assertError(404));
    api.post("/api/vms", Api.vm("idle-1", 1, 256)).ok();
    assertEquals("vm idle-1 has no placement decision yet: it is defined and was never started",
        api.get("/api/vms/idle-1/placement").assertError(409));
    api.get("/api/vms/Bad_Id!/placement").assertError(400);

    // the CLI: exit 2 with the node's line, or its own before sending anything
    assertFails(2, "vm ghost not found", cli.run("placement", "explain", "ghost"));
    assertFails(2, "has no placement decision yet", cli.run("placement", "explain", "idle-1"));
    assertFails(2, "host h9 not found", cli.run("placement", "what-if", "--lose-host", "h9"));
    assertFails(2, "app ghost not found in any service", cli.run("placement", "what-if", "--add-rule", "distinct:ghost"));
    assertFails(2, "what-if needs one scenario", cli.run("placement", "what-if"));
    assertFails(2, "the count must be at least 1", cli.run("placement", "what-if", "--more-replicas", "web=0"));

    // a service with a bad rule: 400 from the API, exit 2 from the CLI, with the validation's line
    String badRule = RULES.replace("\"name\": \"rules\"", "\"name\": \"bad-rules\"")
        .replace("\"maxPerHost\": {\"api\": 1}", "\"maxPerHost\": {\"api\": 0}");
    assertEquals("max per host of api must be at least 1", api.post("/api/services", badRule).assertError(400));
    assertFails(2, "max per host of api must be at least 1", cli.run("service", "define", file("bad.json", badRule).toString()));
    String badPolicy = RULES.replace("\"name\": \"rules\"", "\"name\": \"bad-policy\"").replace("pack:1,cost:2", "fastest");
    assertTrue(api.post("/api/services", badPolicy).assertError(400).startsWith("placement policy 'fastest': unknown scorer"));
    String badWindow = RULES.replace("\"name\": \"rules\"", "\"name\": \"bad-window\"").replace("PT5M", "soon");
    assertTrue(api.post("/api/services", badWindow).assertError(400).contains("autoscale[0].window"));

    assertEquals(List.of(), api.history("service:bad-rules"));
    assertEquals(List.of(), api.history("service:bad-policy"));
    assertEquals(List.of(), api.history("service:bad-window"));
    // the only new event is the creation of idle-1
    List<JsonNode> after = api.auditLog();
    List<String> added = after.subList(eventsBefore, after.size()).stream()
        .map(e -> e.path("entity").asText() + " " + e.path("event").asText()).toList();
    assertEquals(List.of("vm:idle-1 VmCreated"), added);
  }
}
