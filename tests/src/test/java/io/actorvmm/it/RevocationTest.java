package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AvmNode;
import io.actorvmm.runtime.NodeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens across a cluster of three in-process nodes: a token revoked through one node is refused by
 * another within a second, and an expired one likewise within a second of its expiry; the audit trail
 * names the authenticated principal and its token, with the caller's annotation beside it.
 */
class RevocationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration WITHIN = Duration.ofSeconds(1);

  static {
    System.setProperty("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
  }

  private static Path dir;
  private static AvmNode seed;
  private static AvmNode other;
  private static AvmNode third;
  private static Api adminSeed;
  private static Api adminOther;
  private static Api adminThird;

  @BeforeAll
  static void start() {
    dir = TestNodes.tempDir("revocation");
    int seedPort = Ports.free();
    List<String> seeds = List.of("127.0.0.1:" + seedPort);
    seed = AvmNode.start(NodeSettings.local(seedPort, Ports.free(), dir).withRoles(List.of("seed"), seeds));
    other = AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir)
        .withRoles(List.of("seed"), seeds));
    third = AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir)
        .withRoles(List.of("host"), seeds).withHosts(List.of("h1")));
    adminSeed = new Api(seed.apiPort());
    adminOther = new Api(other.apiPort());
    adminThird = new Api(third.apiPort());
    Await.until("three members up", WAIT, () -> {
      Api.Response r = adminSeed.get("/api/cluster");
      return r.status() == 200 && r.json().path("members").findValuesAsText("status").stream()
          .filter("Up"::equals).count() == 3;
    });
  }

  @AfterAll
  static void stop() {
    TestNodes.closeAll(third, other, seed);
    TestNodes.deleteQuietly(dir);
  }

  private static String tokenOf(String user, Map<String, Object> extra) {
    adminSeed.postJson("/api/users", Map.of("name", user)).ok();
    adminSeed.postJson("/api/users/" + user + "/grant", Map.of("role", "viewer", "path", "/")).ok();
    Map<String, Object> body = new java.util.HashMap<>(extra);
    body.put("owner", user);
    return adminSeed.postJson("/api/tokens", body).ok().path("token").asText();
  }

  @Test
  void aTokenRevokedThroughOneNodeIsRefusedByAnotherWithinASecond() {
    String token = tokenOf("rita", Map.of());
    String id = token.split("\\.")[1];
    Api onOther = adminOther.withToken(token);
    Api onThird = adminThird.withToken(token);
    assertEquals(200, onOther.get("/api/vms").status());
    assertEquals(200, onThird.get("/api/vms").status());

    adminSeed.post("/api/tokens/" + id + "/revoke", null).ok();
    Instant revoked = Instant.now();
    Await.until("the revoked token refused through another node", WITHIN, () -> onOther.get("/api/vms").status() == 401);
    Await.until("and through a third", WITHIN, () -> onThird.get("/api/vms").status() == 401);
    assertTrue(Duration.between(revoked, Instant.now()).compareTo(Duration.ofSeconds(2)) < 0);
    assertTrue(onOther.get("/api/hosts").assertError(401).contains("token " + id + " was revoked"));
    // the admin token is another token, untouched
    assertEquals(200, adminOther.get("/api/vms").status());
  }

  @Test
  void anExpiredTokenIsRefusedOnEveryNodeWithinASecondOfItsExpiry() {
    JsonNode issued = adminOther.postJson("/api/tokens", Map.of("owner", "admin", "expiresIn", "3", "label", "short")).ok();
    Instant expiresAt = Instant.parse(issued.path("info").path("expiresAt").asText());
    Api seedSide = adminSeed.withToken(issued.path("token").asText());
    Api thirdSide = adminThird.withToken(issued.path("token").asText());
    assertEquals(200, seedSide.get("/api/cluster").status());
    Duration untilExpiry = Duration.between(Instant.now(), expiresAt);
    Await.until("the token refused by the seed once expired", untilExpiry.plus(WITHIN),
        () -> seedSide.get("/api/cluster").status() == 401);
    Await.until("and by the third node", WITHIN, () -> thirdSide.get("/api/cluster").status() == 401);
    assertTrue(Duration.between(expiresAt, Instant.now()).compareTo(Duration.ofSeconds(2)) < 0);
    assertTrue(thirdSide.get("/api/cluster").assertError(401).contains("expired"));
    String id = issued.path("info").path("tokenId").asText();
    JsonNode listed = Await.until("the token in the list", WAIT, () -> Api.list(adminSeed.get("/api/tokens").ok()),
        l -> l.stream().anyMatch(t -> t.path("tokenId").asText().equals(id))).stream()
        .filter(t -> t.path("tokenId").asText().equals(id)).findFirst().orElseThrow();
    assertEquals("expired", listed.path("status").asText(), listed::toString);
  }

  @Test
  void theAuditTrailNamesThePrincipalAndItsTokenNeverTheAnnotation() {
    String token = tokenOf("sam", Map.of());
    adminSeed.postJson("/api/users/sam/grant", Map.of("role", "operator", "path", "/vms")).ok();
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + third.apiPort() + "/api/vms"))
        .header("Authorization", "Bearer " + token).header("X-Avm-User", "system:host-agent")
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Api.vm("sams-vm", 1, 64)));
    try {
      assertEquals(201, java.net.http.HttpClient.newHttpClient().send(b.build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    JsonNode created = Await.until("sams-vm created in its history", WAIT, () -> adminSeed.history("vm:sams-vm"),
        h -> !h.isEmpty()).get(0);
    assertEquals("sam", created.path("who").asText(), created::toString);
    assertEquals(token.split("\\.")[1], created.path("token").asText());
    assertEquals("system:host-agent", created.path("note").asText());
    assertTrue(!created.toString().contains(token.substring(token.lastIndexOf('.') + 1)), "no secret in the trail");
  }
}
