package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.AvmNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API of one in-process node (hosts h1, h2) called over real HTTP: bad input is 400, an
 * unknown id 404, an illegal transition 409, always as {"error": one line}, and a rejected command
 * persists nothing; the happy path of a VM is recorded in the audit log with who did it.
 */
class ApiBadInputTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger MARKERS = new AtomicInteger();

  private static Path dir;
  private static AvmNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    dir = TestNodes.tempDir("api");
    node = TestNodes.startAndAwaitHosts(TestNodes.single(dir, "h1", "h2"));
    api = new Api(node.apiPort(), "alice");
  }

  @AfterAll
  static void stop() {
    TestNodes.closeAll(node);
    TestNodes.deleteQuietly(dir);
  }

  @Test
  void malformedJsonIs400AndPersistsNothing() {
    assertTrue(api.post("/api/vms", "{\"vmId\": \"mal-1\", \"cpuCores\": 2,").assertError(400).contains("malformed JSON"));
    assertTrue(api.post("/api/vms", "not json at all").assertError(400).contains("malformed JSON"));
    api.post("/api/vms", "[1, 2]").assertError(400);
    api.post("/api/vms", "{\"vmId\": \"mal-2\", \"cpuCores\": \"many\", \"memoryMiB\": 512, \"runtime\": \"simulated\"}")
        .assertError(400);
    api.post("/api/vms", "null").assertError(400);
    assertTrue(api.post("/api/vms", null).assertError(400).contains("missing"));
    api.post("/api/services", "{\"name\": \"mal-svc\", \"apps\": [").assertError(400);
    api.post("/api/services", "{\"name\": \"mal-svc\", \"apps\": {\"web\": 1}}").assertError(400);
    api.post("/api/cluster/down", "{address").assertError(400);
    api.post("/api/cluster/leave", "{}").assertError(400);
    assertNothingPersisted("vm:mal-1", "vm:mal-2", "service:mal-svc");
  }

  @Test
  void malformedClusterAddressIs400() {
    assertTrue(api.postJson("/api/cluster/down", Map.of("address", "not an address")).assertError(400)
        .contains("malformed address"));
    api.postJson("/api/cluster/leave", Map.of("address", "pekko://avm@")).assertError(400);
    // the node itself is still a member afterwards
    assertEquals(1, api.get("/api/cluster").ok().path("members").size());
  }

  @Test
  void methodsTheApiDoesNotOfferAreRefusedWithOneLine() {
    String why = api.get("/api/vms/ghost/start").assertError(405);
    assertTrue(why.contains("use POST"), why);
  }

  @Test
  void nullsAndMissingKindsInAServiceAreRefusedWithoutJavaInternals() {
    String nulls = api.post("/api/services", "{\"name\": \"null-svc\", \"apps\": [null]}").assertError(400);
    assertFalse(nulls.contains("Exception"), nulls);
    assertTrue(nulls.contains("null is not allowed"), nulls);
    String vm = "{\"cpuCores\":1,\"memoryMiB\":256,\"runtime\":\"simulated\"}";
    String noKind = api.post("/api/services",
        "{\"name\": \"nokind-svc\", \"apps\": [{\"app\": \"nokind-a\", \"replicas\": 1, \"vm\": " + vm + "}]}")
        .assertError(400);
    assertTrue(noKind.contains("kind is missing"), noKind);
    assertNothingPersisted("service:null-svc", "service:nokind-svc", "app:nokind-a");
  }

  @Test
  void aServiceTheHostsCanNeverHoldIs409() {
    String vm = "{\"cpuCores\":1,\"memoryMiB\":256,\"runtime\":\"simulated\"}";
    // the node has two hosts: three replicas on distinct hosts can never all run
    String never = api.post("/api/services", "{\"name\": \"wide-svc\", \"apps\": [{\"app\": \"wide\", \"kind\": \"web\","
        + " \"replicas\": 3, \"vm\": " + vm + "}], \"rules\": {\"distinctHosts\": [\"wide\"]}}").assertError(409);
    assertEquals("app wide needs 3 replicas on distinct hosts but only 2 hosts can hold it", never);
    String runtime = api.post("/api/services", "{\"name\": \"kvm-svc\", \"apps\": [{\"app\": \"kvm-a\", \"kind\": \"web\","
        + " \"replicas\": 1, \"vm\": {\"cpuCores\":1,\"memoryMiB\":256,\"runtime\":\"kvm\"}}]}").assertError(409);
    assertTrue(runtime.startsWith("app kvm-a can never run: no host offers runtime kvm"), runtime);
    assertNothingPersisted("service:wide-svc", "app:wide", "service:kvm-svc", "app:kvm-a");
  }

  @Test
  void aVmNoHostCanTakeIs409AndWaitsAsPending() {
    assertEquals(201, api.post("/api/vms", Api.vm("huge-1", 1000, 256)).status());
    String why = api.post("/api/vms/huge-1/start", null).assertError(409);
    assertTrue(why.contains("cannot be placed") && why.contains("cpu"), why);
    assertEquals("pending", api.vmPhase("huge-1"));
    // the refusal's explanation is kept (one verdict per host), though the start was refused
    JsonNode vm = api.get("/api/vms/huge-1").ok();
    assertEquals(2, vm.path("placement").path("verdicts").size(), vm::toString);
    assertTrue(vm.path("placement").path("chosenHost").isNull(), vm::toString);
    assertEquals(List.of("VmCreated", "VmPlacementRefused"), api.eventNames("vm:huge-1"));
    for (String h : List.of("h1", "h2")) {
      assertFalse(api.history("host:" + h).stream()
          .anyMatch(e -> e.path("detail").path("vmId").asText().equals("huge-1")), "no reservation on " + h);
    }
  }

  @Test
  void unknownIdsAre404() {
    assertEquals("vm ghost not found", api.get("/api/vms/ghost").assertError(404));
    api.post("/api/vms/ghost/start", null).assertError(404);
    api.post("/api/vms/ghost/stop", null).assertError(404);
    api.get("/api/hosts/ghost").assertError(404);
    api.get("/api/apps/ghost").assertError(404);
    api.get("/api/services/ghost").assertError(404);
    api.get("/api/services/ghost/status").assertError(404);
    api.post("/api/services/ghost/start", null).assertError(404);
    api.post("/api/services/ghost/stop", null).assertError(404);
    api.get("/api/audit/history/vm:ghost").assertError(404);
    api.get("/api/audit/replay/vm:ghost?at=" + Instant.now()).assertError(404);
    api.postJson("/api/cluster/down", Map.of("address", "pekko://avm@127.0.0.1:1")).assertError(404);
    api.get("/api/no-such-thing").assertError(404);
    api.get("/api/vms/ghost/nothing").assertError(404);
    assertNothingPersisted("vm:ghost", "host:ghost", "app:ghost", "service:ghost");
  }

  @Test
  void badVmSpecsAre400AndPersistNothing() {
    Map<String, String> bodies = Map.of(
        "bad-cpu0", Api.vm("bad-cpu0", 0, 512),
        "bad-cpuneg", Api.vm("bad-cpuneg", -2, 512),
        "bad-memneg", Api.vm("bad-memneg", 1, -512),
        "bad-disk", "{\"vmId\":\"bad-disk\",\"cpuCores\":1,\"memoryMiB\":512,\"diskGiB\":-1,\"runtime\":\"simulated\"}",
        "bad-net", "{\"vmId\":\"bad-net\",\"cpuCores\":1,\"memoryMiB\":512,\"networkMbit\":-10,\"runtime\":\"simulated\"}",
        "bad-nocpu", "{\"vmId\":\"bad-nocpu\",\"memoryMiB\":512,\"runtime\":\"simulated\"}",
        "bad-nomem", "{\"vmId\":\"bad-nomem\",\"cpuCores\":1,\"runtime\":\"simulated\"}",
        "bad-noruntime", "{\"vmId\":\"bad-noruntime\",\"cpuCores\":1,\"memoryMiB\":512}",
        "bad-seclevel", "{\"vmId\":\"bad-seclevel\",\"cpuCores\":1,\"memoryMiB\":512,\"runtime\":\"simulated\","
            + "\"securityLevel\":-1}");
    Map<String, String> expected = Map.of(
        "bad-cpu0", "cpu must be at least 1", "bad-cpuneg", "cpu must be at least 1",
        "bad-memneg", "memory must be above zero", "bad-disk", "disk must not be negative",
        "bad-net", "network must not be negative", "bad-nocpu", "cpu must be at least 1",
        "bad-nomem", "memory must be above zero", "bad-noruntime", "runtime type is missing",
        "bad-seclevel", "security level must not be negative");
    bodies.forEach((id, body) ->
        assertEquals(expected.get(id), api.post("/api/vms", body).assertError(400), "answer to " + body));
    // ids must be usable in URLs and journal keys
    api.post("/api/vms", Api.vm("Bad Id", 1, 512)).assertError(400);
    api.post("/api/vms", "{\"cpuCores\":1,\"memoryMiB\":512,\"runtime\":\"simulated\"}").assertError(400);
    api.post("/api/vms/BAD!/start", null).assertError(400);
    assertNothingPersisted(bodies.keySet().stream().map(id -> "vm:" + id).toArray(String[]::new));
    assertFalse(api.auditLog().stream().anyMatch(e -> e.path("entity").asText().equalsIgnoreCase("vm:bad id")));
  }

  @Test
  void auditQueriesWithBadInputAre400() {
    api.get("/api/audit?since=yesterday").assertError(400);
    api.get("/api/audit?limit=0").assertError(400);
    api.get("/api/audit?limit=lots").assertError(400);
    api.get("/api/audit?entity=web-1").assertError(400);
    api.get("/api/audit?entity=disk:web-1").assertError(400);
    api.get("/api/audit/history/web-1").assertError(400);
    api.get("/api/audit/replay/vm:web-1").assertError(400);
    api.get("/api/audit/replay/vm:web-1?at=10:42").assertError(400);
  }

  @Test
  void illegalTransitionsAre409AndPersistNothing() {
    assertEquals(201, api.post("/api/vms", Api.vm("trans-1", 1, 256)).status());
    // stop a VM that was only defined
    assertTrue(api.post("/api/vms/trans-1/stop", null).assertError(409).contains("defined"));
    // define it twice
    assertTrue(api.post("/api/vms", Api.vm("trans-1", 1, 256)).assertError(409).contains("already exists"));
    assertEquals(List.of("VmCreated"), api.eventNames("vm:trans-1"));

    // start twice: the second start is refused whether the first is still placing or already done
    assertEquals(200, api.post("/api/vms/trans-1/start", null).status());
    api.post("/api/vms/trans-1/start", null).assertError(409);
    Await.until("trans-1 running", WAIT, () -> api.vmPhase("trans-1"), "running"::equals);
    Await.until("VmRunning in the history of trans-1", WAIT, () -> api.eventNames("vm:trans-1"),
        names -> names.contains("VmRunning"));
    List<String> before = api.eventNames("vm:trans-1");
    assertTrue(api.post("/api/vms/trans-1/start", null).assertError(409).contains("running"));
    assertTrue(api.post("/api/vms", Api.vm("trans-1", 2, 256)).assertError(409).contains("already exists"));
    assertNothingNewFor("vm:trans-1", before);

    // once stopped it cannot be stopped again
    assertEquals(200, api.post("/api/vms/trans-1/stop", null).status());
    Await.until("trans-1 stopped", WAIT, () -> api.vmPhase("trans-1"), "stopped"::equals);
    List<String> stopped = api.eventNames("vm:trans-1");
    assertEquals("VmStopped", stopped.get(stopped.size() - 1));
    api.post("/api/vms/trans-1/stop", null).assertError(409);
    assertNothingNewFor("vm:trans-1", stopped);
  }

  @Test
  void badServicesAre400AndPersistNothing() {
    String vm = "{\"cpuCores\":1,\"memoryMiB\":256,\"runtime\":\"simulated\"}";
    String cycle = "{\"name\":\"svc-cycle\",\"apps\":["
        + "{\"app\":\"cyc-a\",\"kind\":\"k\",\"replicas\":1,\"vm\":" + vm + ",\"after\":[\"cyc-b\"]},"
        + "{\"app\":\"cyc-b\",\"kind\":\"k\",\"replicas\":1,\"vm\":" + vm + ",\"after\":[\"cyc-c\"]},"
        + "{\"app\":\"cyc-c\",\"kind\":\"k\",\"replicas\":1,\"vm\":" + vm + ",\"after\":[\"cyc-a\"]}]}";
    String unknown = "{\"name\":\"svc-unknown\",\"apps\":["
        + "{\"app\":\"unk-a\",\"kind\":\"k\",\"replicas\":1,\"vm\":" + vm + ",\"after\":[\"nobody\"]}]}";
    String unknownRule = "{\"name\":\"svc-rule\",\"apps\":["
        + "{\"app\":\"rule-a\",\"kind\":\"k\",\"replicas\":2,\"vm\":" + vm + "}],"
        + "\"rules\":{\"distinctHosts\":[\"rule-b\"]}}";
    String self = "{\"name\":\"svc-self\",\"apps\":["
        + "{\"app\":\"self-a\",\"kind\":\"k\",\"replicas\":1,\"vm\":" + vm + ",\"after\":[\"self-a\"]}]}";
    String empty = "{\"name\":\"svc-empty\",\"apps\":[]}";
    String noReplicas = "{\"name\":\"svc-norep\",\"apps\":[{\"app\":\"norep-a\",\"kind\":\"k\",\"replicas\":0,\"vm\":"
        + vm + "}]}";
    String badVm = "{\"name\":\"svc-badvm\",\"apps\":[{\"app\":\"badvm-a\",\"kind\":\"k\",\"replicas\":1,"
        + "\"vm\":{\"cpuCores\":0,\"memoryMiB\":256,\"runtime\":\"simulated\"}}]}";

    assertTrue(api.post("/api/services", cycle).assertError(400).contains("cyc-"), "names the cycle");
    assertTrue(api.post("/api/services", unknown).assertError(400).contains("unknown app nobody"));
    assertTrue(api.post("/api/services", unknownRule).assertError(400).contains("rule-b"));
    assertTrue(api.post("/api/services", self).assertError(400).contains("after itself"));
    api.post("/api/services", empty).assertError(400);
    api.post("/api/services", noReplicas).assertError(400);
    assertTrue(api.post("/api/services", badVm).assertError(400).contains("cpu"));
    assertNothingPersisted("service:svc-cycle", "app:cyc-a", "app:cyc-b", "app:cyc-c", "service:svc-unknown",
        "app:unk-a", "service:svc-rule", "app:rule-a", "service:svc-self", "app:self-a", "service:svc-empty",
        "service:svc-norep", "app:norep-a", "service:svc-badvm", "app:badvm-a");
    api.get("/api/services/svc-cycle").assertError(404);
  }

  @Test
  void conflictingServiceDefinitionIs409AndPersistsNothing() {
    String vm = "{\"cpuCores\":1,\"memoryMiB\":256,\"runtime\":\"simulated\"}";
    String first = "{\"name\":\"svc-one\",\"apps\":[{\"app\":\"shared-a\",\"kind\":\"k\",\"replicas\":1,\"vm\":" + vm
        + "}]}";
    assertEquals(201, api.post("/api/services", first).status());
    // the same definition again changes nothing
    assertEquals(201, api.post("/api/services", first).status());
    Await.until("app shared-a defined", WAIT, () -> api.eventNames("app:shared-a"), n -> n.contains("AppDefined"));
    List<String> service = api.eventNames("service:svc-one");
    List<String> app = api.eventNames("app:shared-a");
    // a second service may not redefine the shared application differently
    String other = "{\"name\":\"svc-two\",\"apps\":[{\"app\":\"shared-a\",\"kind\":\"k\",\"replicas\":3,\"vm\":" + vm
        + "}]}";
    assertTrue(api.post("/api/services", other).assertError(409).contains("shared-a"));
    // nor may the service itself be redefined
    String changed = first.replace("\"replicas\":1", "\"replicas\":2");
    api.post("/api/services", changed).assertError(409);
    assertNothingPersisted("service:svc-two");
    assertNothingNewFor("service:svc-one", service);
    assertNothingNewFor("app:shared-a", app);
  }

  @Test
  void happyPathIsRecordedWithWhoAndReplays() {
    Api bob = api.as("bob");
    JsonNode created = bob.post("/api/vms", Api.vm("happy-1", 2, 1024)).ok();
    assertEquals("defined", created.path("phase").asText());
    assertEquals(2, created.path("spec").path("cpuCores").asInt());

    JsonNode started = bob.post("/api/vms/happy-1/start", null).ok();
    assertNotEquals("defined", started.path("phase").asText());
    String host = started.path("hostId").asText();
    assertTrue(Set.of("h1", "h2").contains(host), "placed on one of the node's hosts: " + started);
    JsonNode placement = started.path("placement");
    assertEquals(host, placement.path("chosenHost").asText());
    assertTrue(placement.path("summary").asText().contains(host), "summary names the host: " + placement);
    List<JsonNode> verdicts = Api.list(placement.path("verdicts"));
    assertEquals(Set.of("h1", "h2"), verdicts.stream().map(v -> v.path("hostId").asText()).collect(Collectors.toSet()),
        "a verdict for every host");
    assertEquals(1, verdicts.stream().filter(v -> v.path("outcome").asText().equals("chosen")).count());

    JsonNode running = Await.until("happy-1 running", WAIT, () -> bob.get("/api/vms/happy-1").json(),
        j -> j.path("phase").asText().equals("running"));
    assertEquals(host, running.path("hostId").asText());
    assertEquals(100, running.path("copyPercent").asInt());
    assertEquals(host, running.path("placement").path("chosenHost").asText(), "the explanation stays");

    List<JsonNode> history = Await.until("happy-1's history up to VmRunning", WAIT, () -> api.history("vm:happy-1"),
        h -> h.stream().anyMatch(e -> e.path("event").asText().equals("VmRunning")));
    List<String> names = history.stream().map(e -> e.path("event").asText()).toList();
    assertEquals("VmCreated", names.get(0));
    assertEquals("VmPlaced", names.get(1));
    assertEquals("VmRunning", names.get(names.size() - 1));
    assertEquals("VmBooting", names.get(names.size() - 2));
    // this node copies and boots at once: the copy's end is told by the boot, and booting and running are
    // recorded together (copy progress appears only while a copy takes time)
    assertEquals(List.of("VmCreated", "VmPlaced", "VmBooting", "VmRunning"), names);
    for (JsonNode e : history) assertEquals("vm:happy-1", e.path("entity").asText());
    // the request's caller is recorded on what the requests did; the host's control program on the steps it reported
    assertEquals("bob", history.get(0).path("who").asText(), "who created it");
    assertEquals("bob", history.get(1).path("who").asText(), "who started it");
    for (JsonNode e : history.subList(2, history.size())) {
      assertEquals("system:host-agent", e.path("who").asText(), "who reported " + e.path("event"));
    }
    assertTrue(api.eventNames("host:" + host).contains("CapacityReserved"));
    assertEquals("bob", api.history("host:" + host).stream()
        .filter(e -> e.path("event").asText().equals("CapacityReserved")
            && e.path("detail").path("vmId").asText().equals("happy-1"))
        .findFirst().orElseThrow().path("who").asText(), "the reservation names who started the VM");
    // the journal is in order: offsets and times grow
    for (int i = 1; i < history.size(); i++) {
      assertTrue(history.get(i).path("offset").asLong() > history.get(i - 1).path("offset").asLong());
      assertFalse(Instant.parse(history.get(i).path("at").asText())
          .isBefore(Instant.parse(history.get(i - 1).path("at").asText())));
    }
    // the global log holds the same entries for the entity, once the read side has caught up
    Await.until("happy-1's events in the audit log", WAIT, () -> api.auditLog().stream()
        .filter(e -> e.path("entity").asText().equals("vm:happy-1")).map(e -> e.path("event").asText()).toList(),
        names::equals);
    assertEquals(names, Api.list(api.get("/api/audit?entity=vm:happy-1").ok()).stream()
        .map(e -> e.path("event").asText()).toList());

    // replay between creation and placement: still defined, from one event
    Instant createdAt = Instant.parse(history.get(0).path("at").asText());
    Instant placedAt = Instant.parse(history.get(1).path("at").asText());
    assertTrue(placedAt.isAfter(createdAt));
    Instant between = createdAt.plus(Duration.between(createdAt, placedAt).dividedBy(2));
    JsonNode early = api.get("/api/audit/replay/vm:happy-1?at=" + between).ok();
    assertEquals(1, early.path("events").asInt());
    assertEquals("vm:happy-1", early.path("entity").asText());
    assertEquals("DEFINED", early.path("state").path("phase").asText().toUpperCase());
    assertTrue(early.path("state").path("hostId").isNull(), "no host yet: " + early);
    // at the placement's own time: placed on the host
    JsonNode placed = api.get("/api/audit/replay/vm:happy-1?at=" + placedAt).ok();
    assertEquals(2, placed.path("events").asInt());
    assertEquals("PLACED", placed.path("state").path("phase").asText().toUpperCase());
    assertEquals(host, placed.path("state").path("hostId").asText());
    // now: running
    JsonNode now = api.get("/api/audit/replay/vm:happy-1?at=" + Instant.now()).ok();
    assertEquals(history.size(), now.path("events").asInt());
    assertEquals("RUNNING", now.path("state").path("phase").asText().toUpperCase());
    // before it existed: nothing
    api.get("/api/audit/replay/vm:happy-1?at=" + createdAt.minusSeconds(1)).assertError(404);

    // the lists (read side) show it running on its host, and the host holds it
    Await.until("happy-1 running in GET /api/vms", WAIT, () -> api.get("/api/vms").json(),
        j -> j.isArray() && Api.list(j).stream().anyMatch(v -> v.path("vmId").asText().equals("happy-1")
            && v.path("phase").asText().equals("running")));
    JsonNode h = api.get("/api/hosts/" + host).ok();
    assertTrue(Api.list(h.path("vms")).stream().anyMatch(v -> v.asText().equals("happy-1")), "host lists it: " + h);
    assertTrue(h.path("used").path("cpuCores").asInt() >= 2, "host reserves its CPU: " + h);
  }

  @Test
  void aRequestWithoutAValidTokenIsRefusedAndPersistsNothing() {
    Api nobody = api.withToken(null);
    assertTrue(nobody.post("/api/vms", Api.vm("anon-1", 1, 128)).assertError(401).contains("token"));
    assertTrue(api.withToken("avm.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .post("/api/vms", Api.vm("anon-2", 1, 128)).assertError(401).contains("unknown token"));
    assertNothingPersisted("vm:anon-1", "vm:anon-2");
  }

  @Test
  void theAnnotationIsRecordedBesideThePrincipalNeverAsIt() {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/vms"))
        .header("Authorization", "Bearer " + api.token()).header("X-Avm-User", "system:host-agent")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Api.vm("noted-1", 1, 64)));
    assertEquals(201, send(b));
    JsonNode created = Await.until("noted-1 in its history", WAIT, () -> api.history("vm:noted-1"), h -> !h.isEmpty()).get(0);
    assertEquals("alice", created.path("who").asText(), created::toString);
    assertEquals("system:host-agent", created.path("note").asText(), created::toString);
    assertTrue(created.path("token").asText().matches("[0-9a-f]{16}"), created::toString);
  }

  private static int send(HttpRequest.Builder b) {
    try {
      return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Asserts that none of {@code refs} has any event: neither in its own history nor in the audit
   * log up to a marker event written after the rejected requests were answered (the log's read
   * side lags, so waiting for the marker shows everything persisted before it).
   */
  private static void assertNothingPersisted(String... refs) {
    String marker = "marker-" + MARKERS.incrementAndGet();
    assertEquals(201, api.post("/api/vms", Api.vm(marker, 1, 64)).status());
    List<JsonNode> log = Await.until("marker " + marker + " in the audit log", WAIT, api::auditLog,
        l -> l.stream().anyMatch(e -> e.path("entity").asText().equals("vm:" + marker)));
    Set<String> rejected = Set.of(refs);
    List<String> leaked = log.stream().filter(e -> rejected.contains(e.path("entity").asText()))
        .map(e -> e.path("entity").asText() + " " + e.path("event").asText()).toList();
    assertEquals(List.of(), leaked, "events persisted by rejected requests");
    for (String ref : refs) {
      api.get("/api/audit/history/" + ref).assertError(404);
    }
  }

  /** Asserts that {@code ref}'s history is still {@code before}, also after a marker reached the audit log. */
  private static void assertNothingNewFor(String ref, List<String> before) {
    String marker = "marker-" + MARKERS.incrementAndGet();
    assertEquals(201, api.post("/api/vms", Api.vm(marker, 1, 64)).status());
    List<JsonNode> log = Await.until("marker " + marker + " in the audit log", WAIT, api::auditLog,
        l -> l.stream().anyMatch(e -> e.path("entity").asText().equals("vm:" + marker)));
    assertEquals(before, api.eventNames(ref), "history of " + ref);
    assertEquals(before, log.stream().filter(e -> e.path("entity").asText().equals(ref))
        .map(e -> e.path("event").asText()).toList(), "audit log entries of " + ref);
  }

  @Test
  void everyErrorNamesTheProblemInOneLine() {
    // a body several lines long must still come back as one line
    String body = "{\n \"vmId\": \"multi\",\n \"cpuCores\": [\n1\n]\n}";
    String line = api.post("/api/vms", body).assertError(400);
    assertNotNull(line);
    assertNothingPersisted("vm:multi");
  }
}
