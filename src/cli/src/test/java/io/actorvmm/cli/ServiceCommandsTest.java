package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.cli.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCommandsTest {
  private StubNode node;

  @TempDir
  Path dir;

  @BeforeEach
  void start() {
    node = new StubNode();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void defineSendsTheFilesSpec() throws Exception {
    Path file = dir.resolve("ecommerce.json");
    Files.writeString(file, StubNode.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Fixtures.ecommerceSpec()));
    node.answer("POST", "/api/services", 201, Fixtures.ecommerce("stopped", "stopped", null));

    Result r = Cli.run(node.address(), "service", "define", file.toString());

    assertEquals(0, r.exit(), r::toString);
    StubNode.Request req = node.only();
    assertEquals("POST", req.method());
    assertEquals("/api/services", req.path());
    assertEquals(StubNode.tree(Fixtures.ecommerceSpec()), req.json());
    assertEquals("defined service ecommerce: 3 applications; start order db → app → web", r.out().strip());
  }

  @Test
  void defineReadsAHandWrittenFile() throws Exception {
    Path file = dir.resolve("shop.json");
    Files.writeString(file, """
        {"name": "shop",
         "apps": [{"app": "web", "kind": "nginx", "replicas": 3,
                   "vm": {"cpuCores": 1, "memoryMiB": 512, "runtime": "docker"}, "after": []}],
         "rules": {"distinctHosts": ["web"]}}
        """);
    node.answer("POST", "/api/services", 201, Fixtures.ecommerce("stopped", "stopped", null));

    Result r = Cli.run(node.address(), "service", "define", file.toString());

    assertEquals(0, r.exit(), r::toString);
    JsonNode body = node.only().json();
    assertEquals("shop", body.get("name").asText());
    JsonNode web = body.get("apps").get(0);
    assertEquals("web", web.get("app").asText());
    assertEquals(3, web.get("replicas").asInt());
    assertEquals(512, web.get("vm").get("memoryMiB").asLong());
    assertEquals("docker", web.get("vm").get("runtime").asText());
    assertEquals("web", body.get("rules").get("distinctHosts").get(0).asText());
  }

  @Test
  void defineOfAMissingFileIsExitTwoAndSendsNothing() {
    Path missing = dir.resolve("nope.json");

    Result r = Cli.run(node.address(), "service", "define", missing.toString());

    assertEquals(2, r.exit());
    assertEquals(List.of("error: cannot read " + missing + ": no such file"), r.err().lines().toList());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void defineOfInvalidJsonIsExitTwoWithOneLineAndSendsNothing() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"name\": \"shop\",\n \"apps\": [\n");

    Result r = Cli.run(node.address(), "service", "define", file.toString());

    assertEquals(2, r.exit());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("error: " + file + " is not valid JSON: "), r.err());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void defineWithAMistypedFieldIsExitTwo() throws Exception {
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{\"name\": \"shop\", \"apps\": [{\"app\": \"web\", \"replica\": 2}]}");

    Result r = Cli.run(node.address(), "service", "define", file.toString());

    assertEquals(2, r.exit());
    assertEquals("error: " + file + " is not a service spec: unknown field 'apps[0].replica'", r.err().strip());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void defineOfADirectoryOrEmptyFileIsExitTwo() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.json"));

    Result ofDir = Cli.run(node.address(), "service", "define", dir.toString());
    Result ofEmpty = Cli.run(node.address(), "service", "define", empty.toString());

    assertEquals(2, ofDir.exit(), ofDir::toString);
    assertTrue(ofDir.err().startsWith("error: cannot read " + dir), ofDir.err());
    assertEquals(2, ofEmpty.exit());
    assertEquals("error: " + empty + " is empty", ofEmpty.err().strip());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void statusPrintsTheHeadlineThenOneLinePerApp() {
    node.ok("GET", "/api/services/ecommerce/status",
        Fixtures.ecommerce("running", "available", "all 3 applications are up"));

    Result r = Cli.run(node.address(), "service", "status", "ecommerce");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "ecommerce: available — all 3 applications are up",
        "  APP  STATUS   RUNNING",
        "  db   running  1/1",
        "  app  running  2/2",
        "  web  running  2/2"), r.out().lines().toList());
    assertEquals("GET", node.only().method());
  }

  @Test
  void startAndStopPostToTheService() {
    node.ok("POST", "/api/services/ecommerce/start", Fixtures.ecommerce("running", "unavailable", "starting db"));
    node.ok("POST", "/api/services/ecommerce/stop", Fixtures.ecommerce("stopped", "stopped", null));

    Result started = Cli.run(node.address(), "service", "start", "ecommerce");
    Result stopped = Cli.run(node.address(), "service", "stop", "ecommerce");

    assertEquals(0, started.exit(), started::toString);
    assertEquals(0, stopped.exit(), stopped::toString);
    assertEquals(List.of("POST /api/services/ecommerce/start", "POST /api/services/ecommerce/stop"),
        node.requests().stream().map(q -> q.method() + " " + q.path()).toList());
    assertEquals("ecommerce: unavailable — starting db", started.out().lines().findFirst().orElseThrow());
    assertEquals("ecommerce: stopped", stopped.out().lines().findFirst().orElseThrow());
  }

  @Test
  void showPrintsStartOrderRulesAndApps() {
    node.ok("GET", "/api/services/ecommerce", Fixtures.ecommerce("running", "available", "all 3 applications are up"));

    Result r = Cli.run(node.address(), "service", "show", "ecommerce");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains("start order:     db → app → web"), r.out());
    assertTrue(lines.contains("distinct hosts:  web"), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("app +java +running +2/2 +2 cpu, 2048 MiB, kvm +db")), r.out());
  }

  @Test
  void listShowsEveryService() {
    node.ok("GET", "/api/services", List.of(Fixtures.ecommerce("running", "available", "all 3 applications are up")));

    Result r = Cli.run(node.address(), "service", "list");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "SERVICE    DESIRED  AVAILABILITY  APPS  REASON",
        "ecommerce  running  available     3     all 3 applications are up"), r.out().lines().toList());
  }

  @Test
  void unknownServiceIsExitTwo() {
    node.error("GET", "/api/services/nope/status", 404, "no service 'nope'");

    Result r = Cli.run(node.address(), "service", "status", "nope");

    assertEquals(2, r.exit());
    assertEquals("error: no service 'nope'", r.err().strip());
  }
}
