package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AvmNode;
import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Moves and cost across sites in a three-node cluster in one JVM on one H2 journal, each node running
 * one simulated host with its own profile: pricey-1 (local, security 3, expensive), cheap-1 (local,
 * security 3, cheap) and far-1 (remote site s2, security 2, cheapest). {@code cluster rebalance --by cost
 * --dry-run} plans the move of a VM from pricey-1 to cheap-1 (never to far-1, below its security level)
 * and persists nothing; run for real, the VM ends on cheap-1 with the move's events. A move to far-1 of
 * a VM needing a higher security level, of a local-only VM and of a pinned VM is refused with exit 2
 * and the reason, persisting nothing; an allowed move there shows its transfer cost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CostRebalanceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  // a VM of 2 cores and 10 GiB: 7.30/h on pricey-1, 0.82/h on cheap-1, 0.46/h on far-1
  private static final CostRates PRICEY = new CostRates(0.001, 0.01, 0.05);
  private static final CostRates CHEAP = new CostRates(0.0001, 0.01, 0.05);
  private static final CostRates FAR = new CostRates(0.00005, 0.01, 0.1);

  static {
    System.setProperty("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
  }

  private Path dir;
  private AvmNode pricey;
  private AvmNode cheap;
  private AvmNode far;
  private Api api;
  private Cli cli;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("cost");
    int seedPort = Ports.free();
    List<String> seeds = List.of("127.0.0.1:" + seedPort);
    pricey = AvmNode.start(NodeSettings.local(seedPort, Ports.free(), dir).withRoles(List.of("seed", "host"), seeds)
        .withHosts(List.of("pricey-1")).withHostProfile("local", 3, PRICEY));
    cheap = AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seeds)
        .withHosts(List.of("cheap-1")).withHostProfile("local", 3, CHEAP));
    far = AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seeds)
        .withHosts(List.of("far-1")).withHostProfile("s2", 2, FAR));
    api = new Api(pricey.apiPort(), "erin");
    TestNodes.awaitHostsUp(api, "pricey-1", "cheap-1", "far-1");
    cli = new Cli("127.0.0.1:" + pricey.apiPort(), "erin");
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(far, cheap, pricey);
    TestNodes.deleteQuietly(dir);
  }

  private static String vmBody(String id, int securityLevel) {
    Map<String, Object> vm = new LinkedHashMap<>();
    vm.put("vmId", id);
    vm.put("cpuCores", 2);
    vm.put("memoryMiB", 512);
    vm.put("diskGiB", 10);
    vm.put("networkMbit", 10);
    vm.put("runtime", "simulated");
    vm.put("image", "it.qcow2");
    vm.put("securityLevel", securityLevel);
    return Api.write(vm);
  }

  /** Creates a VM with site rules the API's creation body does not carry, straight at its entity. */
  private void createWithSpec(String vmId, VmSpec spec) throws Exception {
    ClusterSharding.get(pricey.runtime().system()).entityRefFor(VmEntity.ENTITY_KEY, vmId)
        .<VmState>askWithStatus(r -> new VmEntity.Create(spec, null, Set.of(), "erin", r), Duration.ofSeconds(10))
        .toCompletableFuture().get();
  }

  private String runningHost(String vm) {
    JsonNode v = Await.until(vm + " running", WAIT, () -> api.get("/api/vms/" + vm).json(),
        j -> j.path("phase").asText().equals("running") && !j.path("hostId").isMissingNode());
    return v.path("hostId").asText();
  }

  /** Moves {@code vm} to {@code host} unless it runs there, and waits until it runs there. */
  private void placeOn(String vm, String host) {
    if (!runningHost(vm).equals(host)) {
      api.postJson("/api/vms/" + vm + "/move", Map.of("to", host)).ok();
      Await.until(vm + " moved to " + host, WAIT, () -> api.get("/api/vms/" + vm + "/move").json(),
          j -> j.path("status").asText().equals("completed"));
    }
    Await.until(vm + " running on " + host, WAIT, () -> runningHost(vm).equals(host));
  }

  private static boolean hasLine(String text, String regex) {
    return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
  }

  /** Exit 2, one line on stderr starting "error: " and containing {@code fragment}, nothing on stdout. */
  private static void assertRefused(String fragment, Cli.Result r) {
    assertEquals(2, r.code(), () -> "exit code: " + r);
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), () -> "one line on stderr: " + r);
    assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(fragment),
        () -> "error line with '" + fragment + "': " + r);
    assertEquals("", r.out(), () -> "nothing on stdout: " + r);
  }

  @Test
  @Order(1)
  void rebalanceByCostPlansOnADryRunAndMovesTheVmToTheCheapHost() {
    assertEquals(201, api.post("/api/vms", vmBody("app-1", 3)).status());
    api.post("/api/vms/app-1/start", null).ok();
    placeOn("app-1", "pricey-1");
    long movesBefore = api.get("/api/vms/app-1/move").status() == 200
        ? api.get("/api/vms/app-1/move").json().path("moveId").asLong() : 0;

    // the node's read side catches up with where the VM runs; a dry run persists nothing, so it may be asked again
    Cli.Result dry = Await.until("a dry run planning app-1 onto cheap-1", WAIT,
        () -> cli.run("cluster", "rebalance", "--by", "cost", "--dry-run"),
        r -> hasLine(r.out(), "^\\s+app-1\\s+pricey-1\\s+cheap-1\\s"));
    int eventsBefore = api.auditLog().size();
    dry = cli.run("cluster", "rebalance", "--by", "cost", "--dry-run");
    assertEquals(0, dry.code(), dry::toString);
    assertEquals("", dry.err(), dry::toString);
    String out = dry.out();
    assertTrue(out.startsWith("cost of running VMs: 7.30/h now, 0.82/h after this step (dry run)\n"), dry::toString);
    assertTrue(hasLine(out, "^\\s+VM\\s+FROM\\s+TO\\s+COST/H NOW\\s+AFTER\\s+TRANSFER\\s+NET OVER 24 H\\s+OUTCOME$"),
        dry::toString);
    // 7.30/h -> 0.82/h saves 155.52 in 24 h; copying 10 GiB costs 10 x (0.05 + 0.05) = 1.00
    assertTrue(hasLine(out, "^\\s+app-1\\s+pricey-1\\s+cheap-1\\s+7.30\\s+0.82\\s+1.00\\s+154.52\\s+planned$"),
        dry::toString);
    assertTrue(hasLine(out, "^no further running, relocatable VM has a cheaper host$"), dry::toString);

    JsonNode json = cli.run("cluster", "rebalance", "--by", "cost", "--dry-run", "-o", "json").json();
    assertEquals("cost", json.path("by").asText(), json::toString);
    assertTrue(json.path("dryRun").asBoolean(), json::toString);
    assertEquals(24.0, json.path("horizonHours").asDouble(), json::toString);
    JsonNode step = json.path("moves").get(0);
    assertEquals("cheap-1", step.path("toHost").asText(), json::toString);
    assertEquals(1.0, step.path("transferCost").asDouble(), 1e-9, json::toString);
    assertEquals(154.52, step.path("netSaving").asDouble(), 1e-9, json::toString);
    assertEquals("7.30/h → 0.82/h, transfer 1.00, net saving 154.52 over 24 h", step.path("detail").asText());

    // a short horizon does not pay for the transfer: the plan says so
    Cli.Result shortHorizon = cli.run("cluster", "rebalance", "--by", "cost", "--dry-run", "--horizon-hours", "0.1");
    assertEquals(0, shortHorizon.code(), shortHorizon::toString);
    assertTrue(hasLine(shortHorizon.out(), "^no move pays for its transfer within 0.1 h$"), shortHorizon::toString);
    assertTrue(hasLine(shortHorizon.out(), "^\\s+app-1\\s+pricey-1\\s+cheap-1\\s+7.30/h → 0.82/h saves 0.648 over 0.1 h, "
        + "which does not pay for the transfer of 1.00$"), shortHorizon::toString);

    // an unknown mode is 400 from the API and exit 2 from the CLI
    assertEquals("by must be load or cost, not 'cheapest'",
        api.post("/api/cluster/rebalance?by=cheapest&dry-run=false", null).assertError(400));
    assertEquals("horizon-hours must be above zero",
        api.post("/api/cluster/rebalance?by=cost&horizon-hours=0", null).assertError(400));
    assertRefused("--by must be load or cost, not 'cheapest'", cli.run("cluster", "rebalance", "--by", "cheapest"));

    assertEquals(eventsBefore, api.auditLog().size(), "dry runs and refusals persist nothing");
    assertEquals("pricey-1", runningHost("app-1"));

    Cli.Result real = cli.run("cluster", "rebalance", "--by", "cost");
    assertEquals(0, real.code(), real::toString);
    assertTrue(real.out().startsWith("cost of running VMs: 7.30/h now, 0.82/h after this step\n"), real::toString);
    assertTrue(hasLine(real.out(), "^\\s+app-1\\s+pricey-1\\s+cheap-1\\s+7.30\\s+0.82\\s+1.00\\s+154.52\\s+moving$"),
        real::toString);

    long moveId = movesBefore + 1;
    JsonNode move = Await.until("the rebalance's move of app-1 ended", WAIT, () -> api.get("/api/vms/app-1/move").json(),
        j -> j.path("moveId").asLong() == moveId && !j.path("status").asText().equals("active"));
    assertEquals("completed", move.path("status").asText(), move::toString);
    assertEquals("cheap-1", move.path("toHost").asText(), move::toString);
    assertEquals("rebalance requested by erin", api.history("move:app-1").stream()
        .filter(e -> e.path("event").asText().equals("MoveStarted") && e.path("detail").path("moveId").asLong() == moveId)
        .findFirst().orElseThrow().path("detail").path("reason").asText());
    assertEquals(1.0, move.path("transferCost").asDouble(), 1e-9, move::toString);
    assertEquals("cheap-1", runningHost("app-1"));
    assertEquals(Moves.completed(Moves.COLD_STEPS), Await.until("the move's events in the journal", WAIT,
        () -> Moves.events(api, "app-1", moveId), e -> e.contains("MoveEnded")));
  }

  @Test
  @Order(2)
  void aMoveToARemoteHostBelowTheVmsSecurityLevelOrSiteRulesIsRefusedAndPersistsNothing() throws Exception {
    runningHost("app-1");
    VmSpec localOnly = new VmSpec(1, 256, 1, 10, "simulated", "it.qcow2", true, 1).withSite(null, true);
    createWithSpec("local-1", localOnly);
    api.post("/api/vms/local-1/start", null).ok();
    VmSpec pinned = new VmSpec(1, 256, 1, 10, "simulated", "it.qcow2", false, 1).withSite("local", false);
    createWithSpec("pinned-1", pinned);
    api.post("/api/vms/pinned-1/start", null).ok();
    String pinnedHost = runningHost("pinned-1");
    runningHost("local-1");
    int eventsBefore = api.auditLog().size();

    assertRefused("vm app-1 cannot move to host far-1: the security rule refuses it: security level 2 is below "
        + "security level 3", cli.run("vm", "move", "app-1", "--to", "far-1"));
    assertRefused("vm local-1 cannot move to host far-1: the site rule refuses it: is on remote site s2, the VM takes "
        + "local sites only", cli.run("vm", "move", "local-1", "--to", "far-1"));
    assertRefused("vm pinned-1 is pinned to host " + pinnedHost, cli.run("vm", "move", "pinned-1", "--to", "far-1"));
    assertEquals("vm app-1 cannot move to host far-1: the security rule refuses it: security level 2 is below "
        + "security level 3", api.postJson("/api/vms/app-1/move", Map.of("to", "far-1")).assertError(409));

    assertEquals(List.of(), api.history("move:local-1"));
    assertEquals(List.of(), api.history("move:pinned-1"));
    assertEquals(eventsBefore, api.auditLog().size(), "a refused move persists nothing");
    assertEquals("cheap-1", runningHost("app-1"));
  }

  @Test
  @Order(3)
  void anAllowedMoveToTheRemoteSiteShowsItsTransferCost() {
    assertEquals(201, api.post("/api/vms", vmBody("web-1", 1)).status());
    api.post("/api/vms/web-1/start", null).ok();
    placeOn("web-1", "cheap-1");

    Cli.Result moved = cli.run("vm", "move", "web-1", "--to", "far-1");

    // copying 10 GiB out of cheap-1 and into far-1: 10 x (0.05 + 0.1)
    assertEquals(0, moved.code(), moved::toString);
    List<String> lines = moved.out().lines().toList();
    assertTrue(lines.get(0).matches("move \\d+ of vm web-1: cheap-1 -> far-1, transfer cost 1.50"), moved::toString);
    assertTrue(lines.get(lines.size() - 1).matches(
        "move \\d+ of vm web-1 completed: cheap-1 -> far-1, transfer cost 1.50 \\(vm runs on far-1\\)"), moved::toString);
    JsonNode move = api.get("/api/vms/web-1/move").ok();
    assertEquals(1.5, move.path("transferCost").asDouble(), 1e-9, move::toString);
    JsonNode started = api.history("move:web-1").stream().filter(e -> e.path("event").asText().equals("MoveStarted"))
        .reduce((a, b) -> b).orElseThrow();
    assertEquals(1.5, started.path("detail").path("transferCost").asDouble(), 1e-9, started::toString);
    assertEquals("far-1", runningHost("web-1"));
  }
}
