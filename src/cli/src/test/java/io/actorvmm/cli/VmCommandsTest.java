package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.Cli.Result;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VmCommandsTest {
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
  void createSendsEveryFieldOfCreateVm() {
    node.answer("POST", "/api/vms", 201, Fixtures.vm("web-1", "defined", null));

    Result r = Cli.run(node.address(), "vm", "create", "web-1", "--cpu", "2", "--memory", "2048", "--disk", "20",
        "--network", "100", "--runtime", "kvm", "--image", "ubuntu-24.04", "--pinned", "--security-level", "3");

    assertEquals(0, r.exit(), r::toString);
    StubNode.Request req = node.only();
    assertEquals("POST", req.method());
    assertEquals("/api/vms", req.path());
    assertEquals("application/json", req.contentType());
    JsonNode body = req.json();
    assertEquals("web-1", body.get("vmId").asText());
    assertEquals(2, body.get("cpuCores").asInt());
    assertEquals(2048, body.get("memoryMiB").asLong());
    assertEquals(20, body.get("diskGiB").asLong());
    assertEquals(100, body.get("networkMbit").asLong());
    assertEquals("kvm", body.get("runtime").asText());
    assertEquals("ubuntu-24.04", body.get("image").asText());
    assertFalse(body.get("relocatable").asBoolean(), "--pinned means not relocatable");
    assertEquals(3, body.get("securityLevel").asInt());
    assertEquals("vm web-1: defined", r.out().strip());
  }

  @Test
  void createDefaultsToRelocatableWithNoDiskOrNetwork() {
    node.answer("POST", "/api/vms", 201, Fixtures.vm("db-1", "defined", null));

    Result r = Cli.run(node.address(), "vm", "create", "db-1", "--cpu", "1", "--memory", "512", "--runtime", "docker");

    assertEquals(0, r.exit(), r::toString);
    JsonNode body = node.only().json();
    assertTrue(body.get("relocatable").asBoolean());
    assertEquals(0, body.get("diskGiB").asLong());
    assertEquals(0, body.get("networkMbit").asLong());
    assertEquals(0, body.get("securityLevel").asInt());
    assertTrue(body.get("image").isNull());
  }

  @Test
  void createWithoutRuntimeIsAParseErrorAndSendsNothing() {
    Result r = Cli.run(node.address(), "vm", "create", "web-1", "--cpu", "2", "--memory", "2048");

    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("error: Missing required option: '--runtime=R'"), r.err());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void createWithABadSpecIsBadUsageAndSendsNothing() {
    Result zeroCpu = Cli.run(node.address(), "vm", "create", "web-1", "--cpu", "0", "--memory", "2048", "--runtime", "kvm");
    Result badId = Cli.run(node.address(), "vm", "create", "Web_1!", "--cpu", "1", "--memory", "2048", "--runtime", "kvm");
    Result notNumber = Cli.run(node.address(), "vm", "create", "web-1", "--cpu", "two", "--memory", "2048", "--runtime", "kvm");

    assertEquals(2, zeroCpu.exit());
    assertEquals("error: cpu must be at least 1", zeroCpu.err().strip());
    assertEquals(2, badId.exit());
    assertTrue(badId.err().startsWith("error: vm id 'Web_1!' must be"), badId.err());
    assertEquals(2, notNumber.exit());
    assertTrue(notNumber.err().contains("--cpu"), notNumber.err());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void createClashIsExitTwoWithTheServersLine() {
    node.error("POST", "/api/vms", 409, "vm web-1 already exists");

    Result r = Cli.run(node.address(), "vm", "create", "web-1", "--cpu", "2", "--memory", "2048", "--runtime", "kvm");

    assertEquals(2, r.exit());
    assertEquals("error: vm web-1 already exists", r.err().strip());
  }

  @Test
  void listShowsPhaseHostAppCpuAndMemory() {
    VmInfo copying = new VmInfo("web-2", "copying", Fixtures.WEB_SPEC, "h2", 40, "web", null, null);
    node.ok("GET", "/api/vms", List.of(Fixtures.vm("web-1", "running", "h1"), copying,
        new VmInfo("spare", "defined", Fixtures.WEB_SPEC, null, 0, null, null, null)));

    Result r = Cli.run(node.address(), "vm", "list");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "VM     PHASE        HOST  APP  CPU  MEMORY",
        "web-1  running      h1    web  2    2048 MiB",
        "web-2  copying 40%  h2    web  2    2048 MiB",
        "spare  defined      -     -    2    2048 MiB"), r.out().lines().toList());
  }

  @Test
  void showExplainsThePlacement() {
    node.ok("GET", "/api/vms/web-1", Fixtures.vm("web-1", "running", "h1"));

    Result r = Cli.run(node.address(), "vm", "show", "web-1");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals("vm:              web-1", lines.get(0));
    assertTrue(lines.contains("placement: placed on h1: best score of 2 eligible hosts, 1 rejected"), r.out());
    assertTrue(lines.contains("  HOST  VERDICT   SCORE  FILTER    REASON"), r.out());
    assertTrue(lines.contains("  h1    chosen    0.82   -         -"), r.out());
    assertTrue(lines.contains("  h2    passed    0.41   -         -"), r.out());
    assertTrue(lines.contains("  h3    rejected  -      capacity  not enough memory"), r.out());
  }

  @Test
  void showOfAnUnplacedVmSaysSo() {
    node.ok("GET", "/api/vms/spare", new VmInfo("spare", "defined", Fixtures.WEB_SPEC, null, 0, null, null, null));

    Result r = Cli.run(node.address(), "vm", "show", "spare");

    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().lines().anyMatch("placement: not placed yet"::equals), r.out());
  }

  @Test
  void startPostsToTheVmAndPrintsWhereItWent() {
    node.ok("POST", "/api/vms/web-1/start", Fixtures.vm("web-1", "placed", "h1"));

    Result r = Cli.run(node.address(), "vm", "start", "web-1");

    assertEquals(0, r.exit(), r::toString);
    StubNode.Request req = node.only();
    assertEquals("POST", req.method());
    assertEquals("/api/vms/web-1/start", req.path());
    assertEquals("", req.body());
    assertEquals(List.of("vm web-1: placed on h1",
        "placement: placed on h1: best score of 2 eligible hosts, 1 rejected"), r.out().lines().toList());
  }

  @Test
  void startRefusedAsBadInputIsExitTwo() {
    node.error("POST", "/api/vms/web-1/start", 400, "no host can take vm web-1: 3 rejected");

    Result r = Cli.run(node.address(), "vm", "start", "web-1");

    assertEquals(2, r.exit());
    assertEquals("error: no host can take vm web-1: 3 rejected", r.err().strip());
  }

  @Test
  void stopPostsToTheVm() {
    node.ok("POST", "/api/vms/web-1/stop", Fixtures.vm("web-1", "stopping", "h1"));

    Result r = Cli.run(node.address(), "vm", "stop", "web-1");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("/api/vms/web-1/stop", node.only().path());
    assertEquals("vm web-1: stopping on h1", r.out().strip());
  }
}
