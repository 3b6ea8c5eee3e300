package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.Cli.Result;
import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.AutoscaleRule;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Services with placement rules (affinity, max per host, policy, autoscale) and VMs that wait as Pending. */
class ServiceRulesCommandsTest {
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

  private static final String SHOP = """
      {"name": "shop",
       "apps": [
         {"app": "web", "kind": "nginx", "replicas": 3,
          "vm": {"cpuCores": 1, "memoryMiB": 512, "runtime": "kvm", "relocatable": true, "site": "paris", "localSitesOnly": true,
                 "data": "REPLICATED", "restartPriority": 5}},
         {"app": "cache", "kind": "redis", "replicas": 1,
          "vm": {"cpuCores": 1, "memoryMiB": 256, "runtime": "kvm", "relocatable": true, "data": "DISPOSABLE"}}],
       "rules": {"distinctHosts": ["web"], "affinity": [["web", "cache"]], "maxPerHost": {"cache": 2},
                 "maxUnavailable": 2, "placementPolicy": "pack:1,cost:2",
                 "autoscale": [{"app": "web", "upperActivity": 0.8, "lowerActivity": 0.2, "window": "PT5M",
                                "minReplicas": 2, "maxReplicas": 6}]}}
      """;

  static ServiceSpec shopSpec() {
    VmSpec web = new VmSpec(1, 512, 0, 0, "kvm", null, true, 0, "paris", true, DataPolicy.REPLICATED, 5, null);
    VmSpec cache = new VmSpec(1, 256, 0, 0, "kvm", null, true, 0, null, false, DataPolicy.DISPOSABLE, 0, null);
    return new ServiceSpec("shop", List.of(
        new AppRequirement("web", "nginx", 3, web, List.of()),
        new AppRequirement("cache", "redis", 1, cache, List.of())),
        new ServiceRules(List.of("web"), List.of(List.of("web", "cache")), Map.of("cache", 2), 2, "pack:1,cost:2",
            List.of(new AutoscaleRule("web", 0.8, 0.2, Duration.ofMinutes(5), 2, 6))));
  }

  static ServiceInfo shop() {
    return new ServiceInfo("shop", shopSpec(), "started", "degraded", "web has 2 of 3 replicas running",
        List.of(List.of("cache", "web")), List.of(
            new ServiceInfo.AppStatus("cache", "running", 1, 1),
            new ServiceInfo.AppStatus("web", "degraded", 2, 3)));
  }

  @Test
  void defineCarriesEveryRuleAndVmFieldToTheNode() throws Exception {
    Path file = dir.resolve("shop.json");
    Files.writeString(file, SHOP);
    node.answer("POST", "/api/services", 201, shop());

    Result r = Cli.run(node.address(), "service", "define", file.toString());

    assertEquals(0, r.exit(), r::toString);
    JsonNode body = node.only().json();
    // the wire form is the spec itself: reading it back gives the same rules and VM fields
    assertEquals(shopSpec(), StubNode.MAPPER.treeToValue(body, ServiceSpec.class));
    JsonNode rules = body.get("rules");
    assertEquals("PT5M", rules.get("autoscale").get(0).get("window").asText(), "a window is an ISO-8601 duration");
    assertEquals("pack:1,cost:2", rules.get("placementPolicy").asText());
    assertEquals(2, rules.get("maxPerHost").get("cache").asInt());
    assertEquals("[[\"web\",\"cache\"]]", rules.get("affinity").toString());
    assertEquals(2, rules.get("maxUnavailable").asInt());
    JsonNode webVm = body.get("apps").get(0).get("vm");
    assertEquals("paris", webVm.get("site").asText());
    assertTrue(webVm.get("localSitesOnly").asBoolean());
    assertEquals("REPLICATED", webVm.get("data").asText());
    assertEquals(5, webVm.get("restartPriority").asInt());
  }

  @Test
  void defineWithABadRuleIsExitTwoWithTheValidationLineAndSendsNothing() throws Exception {
    String[][] cases = {
        {"\"maxPerHost\": {\"cache\": 0}", "max per host of cache must be at least 1"},
        {"\"placementPolicy\": \"fastest\"", "placement policy 'fastest': unknown scorer fastest"},
        {"\"affinity\": [[\"web\", \"ghost\"]]", "affinity group names unknown app ghost"},
        {"\"maxUnavailable\": -1", "max unavailable must not be negative"},
        {"\"autoscale\": [{\"app\": \"web\", \"upperActivity\": 0.2, \"lowerActivity\": 0.8, \"minReplicas\": 1,"
            + " \"maxReplicas\": 2}]", "autoscale web: upper activity 0.2 must be above lower activity 0.8"},
    };
    for (String[] c : cases) {
      Path file = dir.resolve("bad.json");
      Files.writeString(file, """
          {"name": "shop", "apps": [
            {"app": "web", "kind": "nginx", "replicas": 2, "vm": {"cpuCores": 1, "memoryMiB": 512, "runtime": "kvm"}},
            {"app": "cache", "kind": "redis", "replicas": 1, "vm": {"cpuCores": 1, "memoryMiB": 256, "runtime": "kvm"}}],
           "rules": {%s}}
          """.formatted(c[0]));

      Result r = Cli.run(node.address(), "service", "define", file.toString());

      assertEquals(2, r.exit(), r::toString);
      assertTrue(r.err().startsWith("error: " + file + ": " + c[1]), r::toString);
      assertTrue(r.err().strip().lines().count() == 1, r::toString);
    }
    Path window = dir.resolve("window.json");
    Files.writeString(window, SHOP.replace("\"PT5M\"", "\"five minutes\""));
    Result badWindow = Cli.run(node.address(), "service", "define", window.toString());
    assertEquals(2, badWindow.exit(), badWindow::toString);
    assertTrue(badWindow.err().startsWith("error: " + window + " is not a service spec: rules.autoscale[0].window"),
        badWindow::toString);
    assertTrue(node.requests().isEmpty(), () -> "sent: " + node.requests());
  }

  @Test
  void defineRefusedByTheNodeIsExitTwoWithItsLine() throws Exception {
    Path file = dir.resolve("shop.json");
    Files.writeString(file, SHOP);
    node.error("POST", "/api/services", 400, "max per host of cache must be at least 1");

    Result r = Cli.run(node.address(), "service", "define", file.toString());

    assertEquals(2, r.exit());
    assertEquals("error: max per host of cache must be at least 1", r.err().strip());
  }

  @Test
  void showPrintsTheRules() {
    node.ok("GET", "/api/services/shop", shop());

    Result r = Cli.run(node.address(), "service", "show", "shop");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains("distinct hosts:  web"), r::toString);
    int rules = lines.indexOf("rules:");
    assertEquals(List.of(
        "  placement policy:  pack:1,cost:2",
        "  max unavailable:   2",
        "  affinity:          web + cache",
        "  max per host:      cache 2",
        "  autoscale web:     above 0.8 → +1, below 0.2 → -1, over 5m, 2..6 replicas"),
        lines.subList(rules + 1, rules + 6), r::toString);
    assertTrue(lines.stream().anyMatch(l -> l.matches(
        "web +nginx +degraded +2/3 +1 cpu, 512 MiB, kvm, site paris, local sites only, data replicated, priority 5 +-")),
        r::toString);
  }

  @Test
  void showOfAServiceWithoutRulesSaysTheDefaults() {
    node.ok("GET", "/api/services/ecommerce", Fixtures.ecommerce("running", "available", "all 3 applications are up"));

    Result r = Cli.run(node.address(), "service", "show", "ecommerce");

    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().lines().anyMatch("  placement policy:  cluster default"::equals), r::toString);
    assertTrue(r.out().lines().anyMatch("  max unavailable:   1"::equals), r::toString);
    assertTrue(r.out().lines().noneMatch(l -> l.contains("affinity:") || l.contains("autoscale")), r::toString);
  }

  @Test
  void vmListSaysWhyAPendingVmWaits() {
    String why = "no host fits: 2 hosts, 2 broke anti-affinity of web";
    node.ok("GET", "/api/vms", List.of(Fixtures.vm("web-1", "running", "h1"),
        new VmInfo("web-3", "pending", Fixtures.WEB_SPEC, null, 0, "web", why, null)));

    Result r = Cli.run(node.address(), "vm", "list");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "VM     PHASE    HOST  APP  CPU  MEMORY",
        "web-1  running  h1    web  2    2048 MiB",
        "web-3  pending  -     web  2    2048 MiB",
        "pending web-3: " + why), r.out().lines().toList());
  }

  @Test
  void vmShowOfAPendingVmGivesTheReasonAndWhereToLook() {
    String why = "no host fits: 3 hosts, 2 lacked memory, 1 broke anti-affinity of web";
    node.ok("GET", "/api/vms/web-3", new VmInfo("web-3", "pending", Fixtures.WEB_SPEC, null, 0, "web", why, null));

    Result r = Cli.run(node.address(), "vm", "show", "web-3");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains("reason:          " + why), r::toString);
    assertTrue(lines.contains("waiting:         fits on no host yet; it is placed as soon as a host can take it "
        + "(see 'avm placement explain web-3')"), r::toString);
    assertTrue(lines.contains("data:            local"), r::toString);
  }
}
