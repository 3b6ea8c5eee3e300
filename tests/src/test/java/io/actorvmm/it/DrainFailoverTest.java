package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AvmNode;
import io.actorvmm.domain.Resources;
import io.actorvmm.runtime.NodeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drain, replacement and failover in one JVM on one H2 journal. Node 1 (seed) runs hosts a, b, c
 * (4 CPUs each); node 2 runs host d, node 3 runs host e (they join later, as new hardware would).
 * <ol>
 *   <li>Drain with anti-affinity: web replicas on a and b, c full; the plan for draining a says why
 *       web-1 waits; the drain waits with that reason; once c has room web-1 moves there (never next to
 *       web-2), a ends drained in maintenance, and undrain returns it.</li>
 *   <li>The patent's scenario S1: web, db and payment on three hosts; host d joins and replaces
 *       payment's host; S1 is available again with payment's data on d; the audit history shows each
 *       step.</li>
 *   <li>Failover: host e's node stops; its VMs are marked lost; the one with local data is "data
 *       unavailable" and stays down; the replicated and disposable ones run elsewhere, higher restart
 *       priority first.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrainFailoverTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  static {
    System.setProperty("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
  }

  private java.nio.file.Path dir;
  private List<String> seeds;
  private AvmNode node1;
  private AvmNode node2;
  private AvmNode node3;
  private Api api;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("drain");
    int port = Ports.free();
    seeds = List.of("127.0.0.1:" + port);
    node1 = AvmNode.start(NodeSettings.local(port, Ports.free(), dir).withRoles(List.of("seed", "host"), seeds)
        .withHosts(List.of("a", "b", "c")).withCapacity(new Resources(4, 8192, 100, 1000)));
    api = new Api(node1.apiPort(), "olga");
    TestNodes.awaitHostsUp(api, "a", "b", "c");
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(node3, node2, node1);
    TestNodes.deleteQuietly(dir);
  }

  private AvmNode hostNode(String host) {
    return AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seeds)
        .withHosts(List.of(host)).withCapacity(new Resources(4, 8192, 100, 1000)));
  }

  private static String vm(String id, int cpu, String data, int priority) {
    Map<String, Object> m = new LinkedHashMap<>(Map.of("vmId", id, "cpuCores", cpu, "memoryMiB", 512, "diskGiB", 1,
        "runtime", "simulated", "image", id + ".img"));
    if (data != null) m.put("data", data);
    m.put("restartPriority", priority);
    return Api.write(m);
  }

  private String hostOf(String vm) {
    return Await.until(vm + " running", WAIT, () -> api.get("/api/vms/" + vm).json(),
        j -> j.path("phase").asText().equals("running")).path("hostId").asText();
  }

  private void startOn(String vm, int cpu, String host) {
    assertEquals(201, api.post("/api/vms", vm(vm, cpu, null, 0)).status());
    api.post("/api/vms/" + vm + "/start", null).ok();
    String at = hostOf(vm);
    if (!at.equals(host)) {
      // through the CLI, which follows the move step by step until it ends
      Cli.Result moved = cli().run("vm", "move", vm, "--to", host);
      assertEquals(0, moved.code(), moved::toString);
      assertTrue(moved.out().contains("data-imported") && moved.out().contains("completed: " + at + " -> " + host),
          moved::toString);
      assertEquals(host, hostOf(vm));
    }
  }

  private Cli cli() {
    return new Cli("127.0.0.1:" + node1.apiPort(), "olga");
  }

  private static String service(String name, String... appSpecs) {
    return "{\"name\":\"" + name + "\",\"apps\":[" + String.join(",", appSpecs) + "]," + "\"rules\":{\"distinctHosts\":[\"web\"]}}";
  }

  private static String app(String app, int replicas, int cpu, String after) {
    return "{\"app\":\"" + app + "\",\"kind\":\"" + app + "\",\"replicas\":" + replicas + ",\"after\":["
        + (after == null ? "" : "\"" + after + "\"") + "],\"vm\":{\"cpuCores\":" + cpu + ",\"memoryMiB\":512,"
        + "\"diskGiB\":1,\"networkMbit\":10,\"runtime\":\"simulated\",\"image\":\"" + app + ".img\","
        + "\"relocatable\":true,\"securityLevel\":0}}";
  }

  @Test
  @Order(1)
  void drainWithAntiAffinityWaitsForRoomAndSaysWhy() {
    // c is full; the web replicas then can only go to a and b
    startOn("filler-c", 4, "c");
    assertEquals(201, api.post("/api/services", service("shop", app("web", 2, 2, null))).status());
    api.post("/api/services/shop/start", null).ok();
    String w1 = hostOf("web-1");
    String w2 = hostOf("web-2");
    assertEquals(List.of("a", "b"), w1.compareTo(w2) < 0 ? List.of(w1, w2) : List.of(w2, w1));
    String onA = w1.equals("a") ? "web-1" : "web-2";
    String other = onA.equals("web-1") ? "web-2" : "web-1";
    Await.until("the read side lists " + onA + " on a", WAIT, () -> api.get("/api/vms").ok(), l -> Api.list(l).stream()
        .anyMatch(v -> v.path("vmId").asText().equals(onA) && v.path("hostId").asText().equals("a")));

    Cli.Result dry = cli().run("host", "drain", "a", "--dry-run");
    assertEquals(0, dry.code(), dry::toString);
    assertTrue(dry.out().contains("cannot move now:") && dry.out().contains(onA) && dry.out().contains("stays on a"),
        dry::toString);
    assertEquals(2, cli().run("host", "drain", "Bad!").code());
    assertEquals(2, cli().run("vm", "move", "no-such-vm").code());
    JsonNode plan = api.postJson("/api/hosts/a/drain", Map.of("dryRun", true)).ok();
    assertEquals(0, plan.path("moves").size(), plan::toString);
    JsonNode why = plan.path("unplaced").get(0);
    assertEquals(onA, why.path("vmId").asText(), plan::toString);
    String reason = why.path("reason").asText();
    assertTrue(reason.contains("stays on a") && reason.contains("web") && reason.contains("c"), reason);
    assertEquals("up", api.hostStatus("a"), "a dry run changes nothing");

    JsonNode drain = api.post("/api/hosts/a/drain", null).ok();
    assertEquals("maintenance", drain.path("status").asText(), drain::toString);
    JsonNode waiting = Await.until("the drain says why " + onA + " waits", WAIT,
        () -> api.get("/api/hosts/a/drain").ok(), j -> j.path("waiting").has(onA));
    String waits = waiting.path("waiting").path(onA).asText();
    assertTrue(waits.contains("cannot move") && waits.contains("b"), waits);
    assertEquals("a", hostOf(onA), "it stays while nowhere is room");

    // room appears on c: the waiting VM moves there, never onto b next to its sibling
    api.post("/api/vms/filler-c/stop", null).ok();
    JsonNode done = Await.until("a drained", WAIT, () -> api.get("/api/hosts/a/drain").ok(),
        j -> j.path("remaining").size() == 0 && j.path("reason").asText().startsWith("drained"));
    assertEquals("maintenance", done.path("status").asText(), done::toString);
    assertEquals("c", hostOf(onA));
    assertEquals("b", hostOf(other));
    // a takes nothing while drained; undrain returns it
    api.post("/api/hosts/a/undrain", null).ok();
    assertEquals("up", api.hostStatus("a"));
    api.post("/api/hosts/nope/drain", null).assertError(404);
    api.post("/api/hosts/a/undrain", null).assertError(409);
    api.post("/api/hosts/a/replace", "{}").assertError(400);
    api.post("/api/services/shop/stop", null).ok();
    Await.until("shop stopped", WAIT, () -> api.vmPhase("web-1").equals("stopped") && api.vmPhase("web-2").equals("stopped"));
  }

  @Test
  @Order(2)
  void theReplacedHostOfPaymentLeavesServiceS1AvailableWithItsDataOnTheNewHost() {
    // each host fits one of S1's VMs (3 CPUs of 4), so web, db and payment land on three hosts
    assertEquals(201, api.post("/api/services", "{\"name\":\"s1\",\"apps\":[" + app("s1-web", 1, 3, null) + ","
        + app("s1-db", 1, 3, null) + "," + app("s1-payment", 1, 3, "s1-db") + "]}").status());
    api.post("/api/services/s1/start", null).ok();
    Await.until("s1 available", WAIT, () -> api.get("/api/services/s1").json().path("availability").asText()
        .equals("available"));
    String old = hostOf("s1-payment-1");
    List<String> hosts = new ArrayList<>(List.of(hostOf("s1-web-1"), hostOf("s1-db-1"), old));
    assertEquals(3, hosts.stream().distinct().count(), hosts::toString);

    node2 = hostNode("d");
    TestNodes.awaitHostsUp(api, "d");
    JsonNode replace = api.postJson("/api/hosts/" + old + "/replace", Map.of("to", "d")).ok();
    assertEquals("maintenance", replace.path("status").asText(), replace::toString);
    JsonNode retired = Await.until(old + " retired", WAIT, () -> api.get("/api/hosts/" + old + "/drain").ok(),
        j -> j.path("remaining").size() == 0 && j.path("reason").asText().startsWith("retired"));
    assertTrue(retired.path("reason").asText().contains("to d"), retired::toString);
    assertEquals("d", hostOf("s1-payment-1"));
    Await.until("s1 available again", WAIT, () -> api.get("/api/services/s1").json().path("availability").asText()
        .equals("available"));
    assertTrue(api.get("/api/hosts/d/vms/s1-payment-1").ok().path("hasData").asBoolean());
    assertFalse(api.get("/api/hosts/" + old + "/vms/s1-payment-1").ok().path("hasData").asBoolean());

    // the audit history: each step of the move, and the VM's own account of it
    List<String> steps = new ArrayList<>();
    for (JsonNode e : api.history("move:s1-payment-1")) {
      steps.add(e.path("event").asText().equals("MoveStepDone") ? e.path("detail").path("step").asText().toLowerCase().replace('_', '-')
          : e.path("event").asText());
    }
    assertEquals(List.of("MoveStarted", "vm-claimed", "source-stopped", "data-exported", "data-imported", "vm-assigned",
        "target-started", "source-cleaned", "MoveEnded"), steps);
    List<String> vmEvents = api.eventNames("vm:s1-payment-1");
    int started = vmEvents.indexOf("VmMoveStarted");
    assertTrue(started > 0 && vmEvents.indexOf("VmMoved") > started
        && vmEvents.lastIndexOf("VmMoveEnded") > vmEvents.indexOf("VmMoved"), vmEvents::toString);
    List<String> hostEvents = api.eventNames("host:" + old);
    assertTrue(hostEvents.contains("HostDrainChanged") && hostEvents.contains("CapacityReleased"), hostEvents::toString);
    List<String> serviceEvents = api.eventNames("service:s1");
    assertTrue(serviceEvents.contains("ServiceAvailabilityChanged"), serviceEvents::toString);
    api.post("/api/services/s1/stop", null).ok();
    Await.until("s1's VMs stopped", WAIT, () -> List.of("s1-web-1", "s1-db-1", "s1-payment-1").stream()
        .allMatch(v -> api.vmPhase(v).equals("stopped")));
  }

  @Test
  @Order(3)
  void aLostHostsVmsRestartElsewhereUnlessTheirDataLivedOnlyThere() {
    // only host e may take the three VMs: the other hosts go into maintenance while they start
    node3 = hostNode("e");
    TestNodes.awaitHostsUp(api, "e");
    for (String h : List.of("a", "b", "c", "d")) api.post("/api/hosts/" + h + "/drain", null).ok();
    assertEquals(201, api.post("/api/vms", vm("lost-local", 1, "LOCAL", 0)).status());
    assertEquals(201, api.post("/api/vms", vm("lost-repl", 1, "REPLICATED", 0)).status());
    assertEquals(201, api.post("/api/vms", vm("lost-disp", 1, "DISPOSABLE", 5)).status());
    for (String v : List.of("lost-local", "lost-repl", "lost-disp")) {
      api.post("/api/vms/" + v + "/start", null).ok();
      assertEquals("e", hostOf(v));
    }
    for (String h : List.of("a", "b", "c", "d")) api.post("/api/hosts/" + h + "/undrain", null).ok();
    Await.until("the read side lists the three VMs on e", WAIT, () -> Api.list(api.get("/api/vms").ok()).stream()
        .filter(v -> v.path("hostId").asText().equals("e")).count() == 3);

    node3.close();
    node3 = null;
    Await.until("host e down", WAIT, () -> api.hostStatus("e").equals("down"));
    for (String v : List.of("lost-repl", "lost-disp")) {
      Await.until(v + " running elsewhere", WAIT, () -> api.get("/api/vms/" + v).json(),
          j -> j.path("phase").asText().equals("running") && !j.path("hostId").asText().equals("e"));
    }
    JsonNode local = Await.until("lost-local marked lost", WAIT, () -> api.get("/api/vms/lost-local").ok(),
        j -> !j.path("phase").asText().equals("running"));
    assertEquals("failed", local.path("phase").asText(), local::toString);
    assertTrue(local.path("reason").asText().startsWith("data unavailable"), local::toString);
    // it stays down: nothing places it again
    List<String> localEvents = api.eventNames("vm:lost-local");
    assertEquals("VmLost", localEvents.get(localEvents.size() - 1), localEvents::toString);
    // the higher restart priority went first
    long dispPlaced = placedOffset("lost-disp");
    long replPlaced = placedOffset("lost-repl");
    assertTrue(dispPlaced < replPlaced, "lost-disp (priority 5) placed before lost-repl (priority 0)");
  }

  /** The journal offset of the VM's last VmPlaced event. */
  private long placedOffset(String vm) {
    long at = -1;
    for (JsonNode e : api.history("vm:" + vm)) {
      if (e.path("event").asText().equals("VmPlaced")) at = e.path("offset").asLong();
    }
    return at;
  }

  @Test
  @Order(4)
  void aLostHostThatCannotBeFencedWaitsForAnOperatorWhoseConfirmationStartsItsVmsElsewhere() {
    AvmNode manual = AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seeds)
        .withHosts(List.of("m")).withCapacity(new Resources(4, 8192, 100, 1000))
        .withFencing(NodeSettings.MANUAL_FENCING));
    try {
      TestNodes.awaitHostsUp(api, "m");
      List<String> others = List.of("a", "b", "c", "d");
      for (String h : others) api.post("/api/hosts/" + h + "/drain", null).ok();
      assertEquals(201, api.post("/api/vms", vm("man-repl", 1, "REPLICATED", 0)).status());
      api.post("/api/vms/man-repl/start", null).ok();
      assertEquals("m", hostOf("man-repl"));
      for (String h : others) api.post("/api/hosts/" + h + "/undrain", null).ok();
      assertEquals("manual (an operator confirms a lost host dead)", api.get("/api/hosts/m").json().path("fencing")
          .asText());
    } finally {
      manual.close();
    }
    JsonNode down = Await.until("host m down, its failover waiting for an operator", WAIT,
        () -> api.get("/api/hosts/m").json(), j -> j.path("status").asText().equals("down")
            && j.path("failoverWaits").asText().contains("avm host confirm-dead m"));
    // the failover is held by the recorded wait, not by a timer: the VM was not placed again
    List<String> held = api.eventNames("host:m");
    assertEquals("HostFenceWait", held.get(held.size() - 1), held::toString);
    assertFalse(api.eventNames("vm:man-repl").contains("VmLost"), down::toString);

    Cli.Result confirmed = cli().run("host", "confirm-dead", "m");
    assertEquals(0, confirmed.code(), confirmed::toString);
    assertTrue(confirmed.out().contains("host m confirmed dead: its VMs start elsewhere"), confirmed::toString);
    Await.until("man-repl running elsewhere", WAIT, () -> api.get("/api/vms/man-repl").json(),
        j -> j.path("phase").asText().equals("running") && !j.path("hostId").asText().equals("m"));
    JsonNode confirmation = api.history("host:m").stream()
        .filter(e -> e.path("event").asText().equals("HostFenceWait")).reduce((x, y) -> y).orElseThrow();
    assertEquals("olga", confirmation.path("who").asText(), confirmation::toString);
    assertTrue(confirmation.toString().contains("confirmed dead by olga"), confirmation::toString);
  }
}
