package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AvmNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The avm CLI run in-process against a real node (hosts h1, h2): exit codes 0 (ok), 2 (bad usage
 * or refused by the node) and 1 (node unreachable), its text and its --output json for hosts, VMs,
 * the e-commerce service and the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Path dir;
  private AvmNode node;
  private Api api;
  private Cli cli;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("cli");
    node = TestNodes.startAndAwaitHosts(TestNodes.single(dir, "h1", "h2"));
    api = new Api(node.apiPort());
    cli = new Cli("127.0.0.1:" + node.apiPort(), "carol");
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

  /** Exit {@code code} with exactly one line on stderr, "error: ..." containing {@code fragment}; nothing on stdout. */
  private static void assertFails(int code, String fragment, Cli.Result r) {
    assertEquals(code, r.code(), () -> "exit code: " + r);
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("error: ") && first.contains(fragment), () -> "error line with '" + fragment + "': " + r);
    assertEquals("", r.out(), () -> "nothing on stdout: " + r);
  }

  private static boolean hasLine(String text, String regex) {
    return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
  }

  @Test
  @Order(1)
  void hostList() {
    Cli.Result text = cli.run("host", "list");
    assertOk(text);
    assertTrue(text.out().startsWith("HOST"), text::toString);
    assertTrue(hasLine(text.out(), "^h1\\s+up\\s+local\\s+0/32\\s"), text::toString);
    assertTrue(hasLine(text.out(), "^h2\\s+up\\s+local\\s+0/32\\s"), text::toString);

    Cli.Result json = cli.run("host", "list", "--output", "json");
    assertOk(json);
    List<JsonNode> hosts = Api.list(json.json());
    assertEquals(List.of("h1", "h2"), hosts.stream().map(h -> h.path("hostId").asText()).toList());
    hosts.forEach(h -> assertEquals("up", h.path("status").asText()));
    assertEquals(32, hosts.get(0).path("capacity").path("cpuCores").asInt());
    // the option works before the noun as well
    assertEquals(json.json(), cli.run("--output", "json", "host", "list").json());
  }

  @Test
  @Order(1)
  void aHostThatIsUpCannotBeConfirmedDeadAndShowsHowItIsFenced() {
    assertFails(2, "host h1 is not waiting for a confirmation that it is dead (status up)",
        cli.run("host", "confirm-dead", "h1"));
    assertFails(2, "host id", cli.run("host", "confirm-dead", "no such host!"));
    Cli.Result show = cli.run("host", "show", "h1");
    assertOk(show);
    // nodes inside one JVM trust membership: their VMs end with the JVM
    assertTrue(hasLine(show.out(), "^fencing:?\\s+none \\(membership only\\)"), show::toString);
    assertTrue(api.get("/api/audit/history/host:h1").ok().toString().contains("HostRegistered"));
  }

  @Test
  @Order(2)
  void vmCreateStartShow() {
    Cli.Result created = cli.run("vm", "create", "cli-1", "--cpu", "2", "--memory", "1024", "--runtime", "simulated");
    assertOk(created);
    assertEquals("vm cli-1: defined", created.out().strip());

    Cli.Result createdJson = cli.run("-o", "json", "vm", "create", "cli-2", "--cpu", "1", "--memory", "512",
        "--runtime", "simulated", "--pinned");
    assertOk(createdJson);
    assertEquals("defined", createdJson.json().path("phase").asText());
    assertFalse(createdJson.json().path("spec").path("relocatable").asBoolean());

    Cli.Result started = cli.run("vm", "start", "cli-1");
    assertOk(started);
    assertTrue(hasLine(started.out(), "^vm cli-1: (placed|copying.*|booting|running) on h[12]"), started::toString);
    assertTrue(hasLine(started.out(), "^placement: placed on h[12]"), started::toString);

    Cli.Result shown = Await.until("vm show cli-1 says running", WAIT, () -> cli.run("vm", "show", "cli-1"),
        r -> hasLine(r.out(), "^phase:\\s+running$"));
    assertOk(shown);
    assertTrue(hasLine(shown.out(), "^vm:\\s+cli-1$"), shown::toString);
    assertTrue(hasLine(shown.out(), "^host:\\s+h[12]$"), shown::toString);
    assertTrue(hasLine(shown.out(), "^resources:\\s+cpu 2, memory 1024 MiB"), shown::toString);
    assertTrue(hasLine(shown.out(), "^  h[12]\\s+chosen\\s"), "verdict table: " + shown);
    assertTrue(hasLine(shown.out(), "^  h[12]\\s+passed\\s"), "verdict table: " + shown);

    Cli.Result json = cli.run("vm", "show", "cli-1", "--output", "json");
    assertOk(json);
    assertEquals("running", json.json().path("phase").asText());
    assertEquals(json.json().path("hostId").asText(), json.json().path("placement").path("chosenHost").asText());
    assertEquals(api.get("/api/vms/cli-1").json(), json.json(), "the JSON is the API's answer");

    Cli.Result list = Await.until("vm list shows both VMs", WAIT, () -> cli.run("vm", "list"),
        r -> r.out().contains("cli-1") && r.out().contains("cli-2"));
    assertOk(list);
  }

  @Test
  @Order(3)
  void badUsageAndRefusalsExit2() {
    // refused by the CLI itself: nothing is sent
    assertFails(2, "cpu must be at least 1",
        cli.run("vm", "create", "cli-bad", "--cpu", "0", "--memory", "512", "--runtime", "simulated"));
    assertFails(2, "--cpu", cli.run("vm", "create", "cli-bad", "--memory", "512", "--runtime", "simulated"));
    assertFails(2, "", cli.run("vm", "create", "cli-bad", "--cpu", "two", "--memory", "512", "--runtime", "x"));
    assertFails(2, "hots", cli.runRaw("hots", "list"));
    Cli.Result typo = cli.run("hots", "list");
    assertEquals(2, typo.code(), typo::toString);
    assertTrue(typo.err().contains("avm host"), "suggests the right noun: " + typo);
    assertFails(2, "no such file", cli.run("service", "define", dir.resolve("missing.json").toString()));
    assertFails(2, "bad time for --at", cli.run("audit", "replay", "vm:cli-1", "--at", "last tuesday"));
    assertFails(2, "", cli.run("audit", "history", "not-a-ref"));
    // refused by the node (404, 409): one line from the node's answer
    assertFails(2, "vm ghost not found", cli.run("vm", "show", "ghost"));
    assertFails(2, "already exists",
        cli.run("vm", "create", "cli-1", "--cpu", "1", "--memory", "512", "--runtime", "simulated"));
    assertFails(2, "not running", cli.run("vm", "stop", "cli-2"));
    assertFails(2, "cannot start", cli.run("vm", "start", "cli-1"));
    assertFails(2, "no events for vm:ghost", cli.run("audit", "history", "vm:ghost"));
    assertFails(2, "service ghost not found", cli.run("service", "status", "ghost"));
    // none of it reached the journal
    assertEquals(List.of(), api.history("vm:cli-bad"));
    assertEquals(List.of("VmCreated"), api.eventNames("vm:cli-2"));
  }

  @Test
  @Order(4)
  void ecommerceService() throws Exception {
    assertTrue(Files.isReadable(Repo.ecommerce()));
    Cli.Result defined = cli.run("service", "define", Repo.ecommerce().toString());
    assertOk(defined);
    assertEquals("defined service ecommerce: 3 applications; start order db, web → payment", defined.out().strip());
    // the identical definition again is accepted
    assertOk(cli.run("service", "define", Repo.ecommerce().toString()));

    Cli.Result started = cli.run("service", "start", "ecommerce");
    assertOk(started);

    Cli.Result status = Await.until("service status ecommerce says available", Duration.ofSeconds(60),
        () -> cli.run("service", "status", "ecommerce"), r -> r.out().startsWith("ecommerce: available"));
    assertOk(status);
    assertTrue(hasLine(status.out(), "^  web\\s+running\\s+2/2$"), status::toString);
    assertTrue(hasLine(status.out(), "^  db\\s+running\\s+1/1$"), status::toString);
    assertTrue(hasLine(status.out(), "^  payment\\s+running\\s+1/1$"), status::toString);

    Cli.Result json = cli.run("service", "status", "ecommerce", "--output", "json");
    assertOk(json);
    JsonNode s = json.json();
    assertEquals("available", s.path("availability").asText());
    assertEquals("started", s.path("desired").asText());
    assertEquals("[[\"db\",\"web\"],[\"payment\"]]", s.path("startOrder").toString());
    for (JsonNode app : s.path("apps")) {
      assertEquals("running", app.path("status").asText(), app::toString);
      assertEquals(app.path("replicas").asInt(), app.path("running").asInt(), app::toString);
    }
    // the two web replicas run on different hosts (the service's distinctHosts rule)
    JsonNode web = api.get("/api/apps/web").ok();
    assertEquals(2, web.path("vms").size());
    assertFalse(web.path("vms").get(0).path("hostId").asText().equals(web.path("vms").get(1).path("hostId").asText()),
        () -> "web replicas on distinct hosts: " + web);
  }

  @Test
  @Order(5)
  void auditLogHistoryReplay() {
    Cli.Result log = Await.until("audit log shows cli-1 running", WAIT, () -> cli.run("audit", "log"),
        r -> hasLine(r.out(), "\\svm:cli-1\\s+VmRunning\\s"));
    assertOk(log);
    assertTrue(log.out().startsWith("TIME"), log::toString);
    assertTrue(hasLine(log.out(), "\\svm:cli-1\\s+VmCreated\\s+carol$"), "who is $USER: " + log);
    assertTrue(hasLine(log.out(), "\\shost:h1\\s+HostRegistered\\s+system:host-agent$"), log::toString);

    Cli.Result filtered = cli.run("audit", "log", "--entity", "vm:cli-1", "--output", "json");
    assertOk(filtered);
    List<JsonNode> entries = Api.list(filtered.json());
    assertFalse(entries.isEmpty());
    entries.forEach(e -> assertEquals("vm:cli-1", e.path("entity").asText()));
    Cli.Result limited = cli.run("audit", "log", "--limit", "2", "-o", "json");
    assertEquals(2, limited.json().size(), limited::toString);

    Cli.Result history = cli.run("audit", "history", "vm:cli-1");
    assertOk(history);
    List<String> rows = history.out().lines().skip(1).toList();
    assertTrue(rows.get(0).matches("\\S+\\s+vm:cli-1\\s+VmCreated\\s+carol"), history::toString);
    assertTrue(rows.get(1).matches("\\S+\\s+vm:cli-1\\s+VmPlaced\\s+carol"), history::toString);
    assertTrue(rows.get(rows.size() - 1).matches("\\S+\\s+vm:cli-1\\s+VmRunning\\s+\\S+"), history::toString);

    List<JsonNode> events = Api.list(cli.run("audit", "history", "vm:cli-1", "--output", "json").json());
    Instant createdAt = Instant.parse(events.get(0).path("at").asText());
    Instant placedAt = Instant.parse(events.get(1).path("at").asText());
    Instant between = createdAt.plus(Duration.between(createdAt, placedAt).dividedBy(2));

    Cli.Result replay = cli.run("audit", "replay", "vm:cli-1", "--at", between.toString());
    assertOk(replay);
    assertTrue(hasLine(replay.out(), "^entity:\\s+vm:cli-1$"), replay::toString);
    assertTrue(hasLine(replay.out(), "^events:\\s+1$"), replay::toString);
    assertTrue(replay.out().contains("\"phase\" : \"DEFINED\""), replay::toString);

    Cli.Result replayJson = cli.run("audit", "replay", "vm:cli-1", "--at", Instant.now().toString(), "-o", "json");
    assertOk(replayJson);
    assertEquals(events.size(), replayJson.json().path("events").asInt());
    assertEquals("RUNNING", replayJson.json().path("state").path("phase").asText());

    assertFails(2, "no events", cli.run("audit", "replay", "vm:cli-1", "--at", "2000-01-01"));
  }

  @Test
  @Order(6)
  void unreachableNodeExits1() {
    Cli nowhere = new Cli("127.0.0.1:" + Ports.free(), "carol");
    assertFails(1, "cannot reach node", nowhere.run("host", "list"));
    assertFails(1, "cannot reach node",
        nowhere.run("vm", "create", "x-1", "--cpu", "1", "--memory", "64", "--runtime", "simulated"));
    assertFails(1, "cannot reach node", nowhere.run("audit", "log", "-o", "json"));
  }

  @Test
  void aLocalNodesAdminTokenThenLoginAsAUserWhoseRevokedTokenIsRefused() throws Exception {
    String address = "127.0.0.1:" + node.apiPort();
    // no token anywhere: the CLI finds the admin token file of the local node's data directory
    Cli local = Cli.withoutToken(address, "carol");
    Cli.Result me = local.run("auth", "whoami");
    assertOk(me);
    assertTrue(hasLine(me.out(), "principal:\\s+admin"), me::toString);
    assertTrue(hasLine(me.out(), "note:\\s+carol"), me::toString);
    assertOk(local.run("user", "create", "cli-viewer"));
    Cli.Result granted = local.run("user", "grant", "cli-viewer", "viewer", "/hosts");
    assertOk(granted);
    assertTrue(granted.out().contains("user cli-viewer: viewer on /hosts"), granted::toString);
    Cli.Result issued = local.run("token", "create", "--owner", "cli-viewer", "--label", "cli test");
    assertOk(issued);
    String token = issued.out().lines().findFirst().orElseThrow();
    assertTrue(token.startsWith("avm."), issued::toString);
    String id = token.split("\\.")[1];

    Path config = dir.resolve("config-" + id);
    Cli user = Cli.withVariables(address, java.util.Map.of("USER", "carol", "AVM_CONFIG_DIR", config.toString()));
    Cli.Result login = user.runWithInput(token + "\n", "login");
    assertOk(login);
    assertTrue(login.out().contains("logged in as cli-viewer (token " + id + ")"), login::toString);
    assertFalse(login.out().contains(token.substring(token.lastIndexOf('.') + 1)), "the token is never printed");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        java.nio.file.Files.getPosixFilePermissions(config.resolve("token"))));
    assertOk(user.run("host", "list"));
    assertFails(2, "missing privilege vm.read on /vms", user.run("vm", "list"));
    // the list comes from the node's read side, which follows the journal
    Cli.Result list = Await.until("token " + id + " listed", WAIT, () -> local.run("token", "list"),
        r -> r.out().contains(id));
    assertOk(list);
    assertFalse(list.out().contains(token.substring(token.lastIndexOf('.') + 1)), "no secret in the list");

    assertOk(local.run("token", "revoke", id));
    // a saved token that is refused is refused: the CLI never falls back to the node's admin token then
    assertFails(2, "token " + id + " was revoked", user.run("host", "list"));
  }
}
