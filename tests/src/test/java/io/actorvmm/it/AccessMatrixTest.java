package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AccessTable;
import io.actorvmm.api.AvmNode;
import io.actorvmm.domain.auth.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the access table, called with no token and as a user of every built-in role: 401
 * without a token, 403 naming the missing privilege for a role without it (and nothing persisted, the
 * refusal recorded in the denial log), never a 5xx; the table is the routes the API serves and documents.
 */
class AccessMatrixTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Path dir;
  private static AvmNode node;
  private static Api admin;
  private static final Map<Role, Api> AS = new LinkedHashMap<>();
  private static final Map<Role, String> TOKENS = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    dir = TestNodes.tempDir("access");
    node = TestNodes.startAndAwaitHosts(TestNodes.single(dir, "h1"));
    admin = new Api(node.apiPort());
    for (Role role : Role.values()) {
      String user = "as-" + role.label();
      admin.postJson("/api/users", Map.of("name", user)).ok();
      admin.postJson("/api/users/" + user + "/grant", Map.of("role", role.label(), "path", "/")).ok();
      String token = admin.postJson("/api/tokens", Map.of("owner", user)).ok().path("token").asText();
      TOKENS.put(role, token);
      AS.put(role, admin.withToken(token));
    }
  }

  @AfterAll
  static void stop() {
    TestNodes.closeAll(node);
    TestNodes.deleteQuietly(dir);
  }

  /** The route's path with a value for each variable. */
  private static String concrete(AccessTable.Rule r) {
    return r.pattern().replaceAll("\\{[a-z]+\\}", "x1");
  }

  private static Api.Response call(Api api, AccessTable.Rule r) {
    return r.method().equals("GET") ? api.get(concrete(r)) : api.post(concrete(r), null);
  }

  @Test
  void everyRouteRefusesWhoLacksItsPrivilegeAndPersistsNothing() {
    // every event the setup persisted was answered before this instant
    java.time.Instant start = java.time.Instant.now();
    List<String> failures = new ArrayList<>();
    int refused = 0;
    for (AccessTable.Rule r : AccessTable.RULES) {
      Api.Response anonymous = call(admin.withToken(null), r);
      if (r.privilege().equals(AccessTable.PUBLIC)) {
        if (anonymous.status() >= 500 || anonymous.status() == 401) failures.add(r + " without token: " + anonymous);
        continue;
      }
      if (anonymous.status() != 401) failures.add(r + " without token: " + anonymous);
      else refused++;
      for (Role role : Role.values()) {
        boolean holds = r.privilege().equals(AccessTable.AUTHENTICATED) || role.privileges().contains(r.privilege());
        if (holds) continue;
        Api.Response a = call(AS.get(role), r);
        if (a.status() != 403 || !a.assertError(403).contains("missing privilege " + r.privilege())) {
          failures.add(r + " as " + role.label() + ": " + a);
        }
        refused++;
      }
    }
    assertEquals(List.of(), failures);

    // nothing the refused requests did reached the journal: a marker written after them is the only new entry
    admin.postJson("/api/users", Map.of("name", "marker-after-refusals")).ok();
    List<JsonNode> log = Await.until("the marker in the audit log", WAIT, admin::auditLog,
        l -> l.stream().anyMatch(e -> e.path("entity").asText().equals("user:marker-after-refusals")));
    List<String> leaked = log.stream().filter(e -> !java.time.Instant.parse(e.path("at").asText()).isBefore(start))
        .filter(e -> !e.path("who").asText().startsWith("system:"))
        .filter(e -> !e.path("entity").asText().equals("user:marker-after-refusals"))
        .map(JsonNode::toString).toList();
    assertEquals(List.of(), leaked, "events persisted by refused requests");

    // each refusal is in the denial log: who, what, why; never a token's text
    int expected = refused;
    List<JsonNode> denied = Await.until(expected + " refusals in the denial log", WAIT,
        () -> Api.list(admin.get("/api/audit/denied?limit=100000").ok()), d -> d.size() >= expected);
    String all = denied.toString();
    for (String token : TOKENS.values()) assertFalse(all.contains(token.substring(token.lastIndexOf('.') + 1)), "a secret in the log");
    JsonNode viewerDenied = denied.stream()
        .filter(e -> e.path("who").asText().equals("as-viewer") && e.path("detail").path("path").asText().equals("/api/vms/x1/start"))
        .findFirst().orElseThrow(() -> new AssertionError("no refusal of as-viewer starting x1: " + all));
    assertEquals(403, viewerDenied.path("detail").path("status").asInt());
    assertEquals("vm.start", viewerDenied.path("detail").path("privilege").asText());
    assertEquals("/vms/x1", viewerDenied.path("detail").path("object").asText());
    assertTrue(viewerDenied.path("token").asText().matches("[0-9a-f]{16}"), viewerDenied::toString);
    assertTrue(denied.stream().anyMatch(e -> e.path("who").asText().equals("anonymous")
        && e.path("detail").path("status").asInt() == 401), all);
  }

  @Test
  void everyRouteLetsWhoHoldsItsPrivilegeThroughToARealRoute() {
    List<String> failures = new ArrayList<>();
    for (AccessTable.Rule r : AccessTable.RULES) {
      for (Role role : Role.values()) {
        boolean holds = r.privilege().equals(AccessTable.PUBLIC) || r.privilege().equals(AccessTable.AUTHENTICATED)
            || role.privileges().contains(r.privilege());
        if (!holds) continue;
        Api.Response a = call(AS.get(role), r);
        // the gate let it through, and a route of the API answered (not the fallback for a path nothing serves)
        if (a.status() == 401 || a.status() == 403 || a.status() >= 500 || a.status() == 405
            || a.body().contains("no such endpoint")) {
          failures.add(r + " as " + role.label() + ": " + a);
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void theTableIsExactlyTheDocumentedApi() throws IOException {
    Pattern row = Pattern.compile("^\\| (GET|POST|DELETE|PUT) \\| (/api/[^ |?]*)");
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(Repo.root().resolve("docs/API.md"))) {
      Matcher m = row.matcher(line);
      if (m.find()) documented.add(m.group(1) + " " + m.group(2).replaceAll("\\{[^}]+\\}", "{}"));
    }
    Set<String> table = AccessTable.RULES.stream().map(r -> r.method() + " " + r.pattern().replaceAll("\\{[^}]+\\}", "{}"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(table, documented);
  }

  @Test
  void canIExplainsADecisionAndAnotherUsersNeedsUserManage() {
    JsonNode no = AS.get(Role.VIEWER).get("/api/auth/can-i?privilege=vm.start&path=/vms/web-1").ok();
    assertFalse(no.path("allowed").asBoolean());
    assertTrue(no.path("reason").asText().startsWith("missing privilege vm.start on /vms/web-1"), no::toString);
    assertTrue(no.path("routes").toString().contains("POST /api/vms/{id}/start"), no::toString);
    JsonNode yes = admin.get("/api/auth/can-i?privilege=vm.start&path=/vms/web-1&as=as-operator").ok();
    assertTrue(yes.path("allowed").asBoolean(), yes::toString);
    assertEquals("operator", yes.path("grant").path("role").asText());
    assertTrue(AS.get(Role.VIEWER).get("/api/auth/can-i?privilege=vm.read&path=/&as=as-admin").assertError(403)
        .contains("user.manage"));

    Cli cli = Cli.withVariables("127.0.0.1:" + node.apiPort(), Map.of("USER", "v", "AVM_TOKEN", TOKENS.get(Role.VIEWER)));
    Cli.Result r = cli.run("auth", "can-i", "host.drain", "/hosts/h1");
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.out().startsWith("no: as-viewer - missing privilege host.drain on /hosts/h1"), r::toString);
    Cli.Result ok = cli.run("auth", "can-i", "host.read", "/hosts/h1");
    assertEquals(0, ok.code(), ok::toString);
    assertTrue(ok.out().startsWith("yes: as-viewer"), ok::toString);
  }
}
