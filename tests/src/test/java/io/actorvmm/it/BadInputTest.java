package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actorvmm.api.AvmNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One request must never hurt a node (issue 13): counts, sizes and lengths above their limits, values
 * of the wrong type, data after the document, unknown fields, a body that is not JSON or too large are
 * refused with 400, 413 or 415 and one line naming the field and the rule; the node still answers
 * and the refused request persisted nothing. Ends with a bounded fuzz of every route that takes a body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String VM = "{\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"simulated\"}";
  private static final List<String> INTERNALS = List.of("io.", "java.", "com.fasterxml", "Exception");

  private final AtomicInteger markers = new AtomicInteger();
  private Path dir;
  private AvmNode node;
  private Api api;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("bad-input");
    node = TestNodes.startAndAwaitHosts(TestNodes.single(dir, "h1", "h2"));
    api = new Api(node.apiPort(), "alice");
    assertEquals(201, api.post("/api/services", "{\"name\":\"base\",\"apps\":[{\"app\":\"base-web\",\"kind\":\"web\","
        + "\"replicas\":1,\"vm\":" + VM + "}]}").status());
    Await.until("service base in the list", WAIT, () -> api.get("/api/services").json(),
        j -> j.isArray() && j.size() == 1);
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(node);
    TestNodes.deleteQuietly(dir);
  }

  @Test
  void aWhatIfCountAboveTheLimitIsRefusedAndTheNodeLives() {
    refusedPersistsNothing(() -> {
      String line = refused(400, api.post("/api/placement/what-if",
          "{\"kind\":\"more-replicas\",\"service\":\"base\",\"app\":\"base-web\",\"count\":1000000}"));
      assertEquals("count must be at most 10000, not 1000000", line);
      refused(400, api.post("/api/placement/what-if",
          "{\"kind\":\"max-per-host\",\"app\":\"base-web\",\"count\":2147483648}"));
    });
    // at the limit it is answered
    assertEquals(200, api.post("/api/placement/what-if",
        "{\"kind\":\"more-replicas\",\"service\":\"base\",\"app\":\"base-web\",\"count\":10000}").status());
    assertAlive();
  }

  @Test
  void replicasAboveTheLimitAreRefusedAndTheNodeLives() {
    refusedPersistsNothing(() -> {
      String line = refused(400, api.post("/api/services", "{\"name\":\"huge\",\"apps\":[{\"app\":\"huge-web\","
          + "\"kind\":\"web\",\"replicas\":2147483647,\"vm\":" + VM + "}]}"));
      assertEquals("app huge-web: replicas must be at most 1000", line);
      StringBuilder apps = new StringBuilder();
      for (int i = 0; i < 101; i++) {
        apps.append(i == 0 ? "" : ",").append("{\"app\":\"a").append(i).append("\",\"kind\":\"k\",\"replicas\":1,\"vm\":")
            .append(VM).append('}');
      }
      assertEquals("apps must have at most 100 items",
          refused(400, api.post("/api/services", "{\"name\":\"wide\",\"apps\":[" + apps + "]}")));
      assertTrue(refused(400, api.post("/api/vms", "{\"vmId\":\"big-vm\",\"cpuCores\":1,\"memoryMiB\":"
          + Long.MAX_VALUE + ",\"runtime\":\"simulated\"}")).startsWith("memory must be at most"));
    });
    assertAlive();
  }

  @Test
  void longStringsAreRefused() {
    refusedPersistsNothing(() -> {
      // a megabyte is over the body limit: refused before it is read
      String mega = "x".repeat(1024 * 1024);
      refused(413, api.post("/api/vms", "{\"vmId\":\"mega\",\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"" + mega + "\"}"));
      // within the body limit, the field's own limit
      String longKind = "k".repeat(200_000);
      assertEquals("app long-web: kind must be at most 256 characters", refused(400, api.post("/api/services",
          "{\"name\":\"long\",\"apps\":[{\"app\":\"long-web\",\"kind\":\"" + longKind + "\",\"replicas\":1,\"vm\":" + VM
              + "}]}")));
      String runtime = refused(400, api.post("/api/vms", "{\"vmId\":\"long-rt\",\"cpuCores\":1,\"memoryMiB\":64,"
          + "\"runtime\":\"" + "r".repeat(100_000) + "\"}"));
      assertTrue(runtime.startsWith("runtime 'rrrr") && runtime.length() < 200, runtime);
      assertEquals("reason must be at most 256 characters", refused(400, api.post("/api/vms/ghost/move",
          "{\"reason\":\"" + "r".repeat(10_000) + "\"}")));
    });
  }

  @Test
  void trailingDataIsRefusedAndRunsNothing() {
    refusedPersistsNothing(() -> {
      assertEquals("body: unexpected data after the JSON document",
          refused(400, api.post("/api/hosts/h1/drain", "{\"to\":\"h2\"}garbage")));
      assertEquals("body: unexpected data after the JSON document",
          refused(400, api.post("/api/vms", "{\"vmId\":\"trail\",\"cpuCores\":1,\"memoryMiB\":64,"
              + "\"runtime\":\"simulated\"} {}")));
    });
    assertEquals("up", api.hostStatus("h1"));
  }

  @Test
  void valuesOfTheWrongTypeAreNotCoerced() {
    refusedPersistsNothing(() -> {
      assertEquals("field cpuCores: expected an integer", refused(400, api.post("/api/vms",
          "{\"vmId\":\"coerce-1\",\"cpuCores\":\"4\",\"memoryMiB\":64,\"runtime\":\"simulated\"}")));
      assertEquals("field memoryMiB: expected an integer", refused(400, api.post("/api/vms",
          "{\"vmId\":\"coerce-2\",\"cpuCores\":1,\"memoryMiB\":1.5,\"runtime\":\"simulated\"}")));
      assertEquals("field relocatable: expected true or false", refused(400, api.post("/api/vms",
          "{\"vmId\":\"coerce-3\",\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"simulated\",\"relocatable\":0}")));
      assertEquals("field dryRun: expected true or false", refused(400, api.post("/api/hosts/h1/drain",
          "{\"dryRun\":1}")));
      assertEquals("field apps[0].replicas: expected an integer", refused(400, api.post("/api/services",
          "{\"name\":\"coerce\",\"apps\":[{\"app\":\"coerce-web\",\"kind\":\"web\",\"replicas\":\"2\",\"vm\":" + VM + "}]}")));
      assertEquals("field count: expected an integer", refused(400, api.post("/api/placement/what-if",
          "{\"kind\":\"more-replicas\",\"app\":\"base-web\",\"count\":2.5}")));
    });
  }

  @Test
  void unknownFieldsAndRuntimesAreRefused() {
    refusedPersistsNothing(() -> {
      String unknown = refused(400, api.post("/api/vms",
          "{\"vmId\":\"unk-1\",\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"simulated\",\"cpus\":4}"));
      assertTrue(unknown.startsWith("field cpus: unknown field"), unknown);
      String nested = refused(400, api.post("/api/services", "{\"name\":\"unk\",\"apps\":[{\"app\":\"unk-web\","
          + "\"kind\":\"web\",\"replicas\":1,\"vm\":{\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"simulated\","
          + "\"ram\":64}}]}"));
      assertTrue(nested.startsWith("field apps[0].vm.ram: unknown field"), nested);
      String runtime = refused(400, api.post("/api/vms",
          "{\"vmId\":\"unk-2\",\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"warp-drive\"}"));
      assertTrue(runtime.startsWith("runtime 'warp-drive' is not offered by any host"), runtime);
    });
  }

  @Test
  void aCallerNoteAboveTheLimitIsRefused() {
    refusedPersistsNothing(() -> assertEquals("header X-Avm-User must be at most 64 characters",
        refused(400, noted("u".repeat(65), Api.vm("long-who", 1, 64)))));
    assertEquals(201, noted("u".repeat(64), Api.vm("long-who", 1, 64)).status());
  }

  /** POST /api/vms as this client's user, with {@code note} in X-Avm-User (recorded beside the principal). */
  private Api.Response noted(String note, String body) {
    java.net.http.HttpRequest r = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + node.apiPort() + "/api/vms"))
        .header("Authorization", "Bearer " + api.token()).header("X-Avm-User", note)
        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      java.net.http.HttpResponse<String> a = java.net.http.HttpClient.newHttpClient().send(r,
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Api.Response(a.statusCode(), a.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void theCliShowsTheNodesRefusalAndExitsTwo() {
    Cli cli = new Cli("127.0.0.1:" + node.apiPort(), "carol");
    refusedPersistsNothing(() -> {
      // the CLI checks the spec's shape itself; that no host offers the runtime only the node knows
      Cli.Result r = cli.run("vm", "create", "cli-warp", "--cpu", "1", "--memory", "64", "--runtime", "warp-drive");
      assertEquals(2, r.code(), r::toString);
      assertTrue(r.err().startsWith("error: runtime 'warp-drive' is not offered by any host"), r::toString);
      assertEquals("", r.out(), r::toString);
    });
  }

  @Test
  void aBodyThatIsNotJsonOrTooLargeIsRefusedBeforeItIsRead() {
    refusedPersistsNothing(() -> {
      String vm = "{\"vmId\":\"ct-1\",\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"simulated\"}";
      assertEquals("body: Content-Type must be application/json",
          refused(415, api.post("/api/vms", vm, "text/plain")));
      refused(415, api.post("/api/vms", vm, null));
      refused(415, api.post("/api/hosts/h1/drain", "{\"to\":\"h2\"}", "application/x-www-form-urlencoded"));
      String large = "{\"vmId\":\"big-1\",\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"simulated\",\"image\":\""
          + "i".repeat(300 * 1024) + "\"}";
      assertEquals("body: larger than the limit of 262144 bytes", refused(413, api.post("/api/vms", large)));
    });
    // a JSON body with a charset is JSON
    assertEquals(201, api.post("/api/vms", "{\"vmId\":\"ct-ok\",\"cpuCores\":1,\"memoryMiB\":64,\"runtime\":\"simulated\"}",
        "application/json; charset=utf-8").status());
  }

  @Test
  void mutatedBodiesNeverHurtTheNode() {
    Random random = new Random(20261203L);
    List<Target> targets = List.of(
        new Target("/api/vms", "{\"vmId\":\"fz-vm\",\"cpuCores\":1,\"memoryMiB\":64,\"diskGiB\":1,\"networkMbit\":10,"
            + "\"runtime\":\"simulated\",\"image\":\"i.qcow2\",\"relocatable\":true,\"securityLevel\":0,\"data\":\"LOCAL\","
            + "\"restartPriority\":0,\"restart\":\"never\",\"maxRestarts\":1,\"restartWindow\":\"PT5M\"}"),
        new Target("/api/services", "{\"name\":\"fz-svc\",\"apps\":[{\"app\":\"fz-web\",\"kind\":\"web\",\"replicas\":1,"
            + "\"vm\":" + VM + ",\"after\":[]}],\"rules\":{\"distinctHosts\":[\"fz-web\"],\"maxPerHost\":{\"fz-web\":1},"
            + "\"maxUnavailable\":1,\"autoscale\":[{\"app\":\"fz-web\",\"upperActivity\":0.8,\"lowerActivity\":0.2,"
            + "\"window\":\"PT1M\",\"minReplicas\":1,\"maxReplicas\":2}]}}"),
        new Target("/api/placement/what-if", "{\"kind\":\"more-replicas\",\"service\":\"base\",\"app\":\"base-web\","
            + "\"count\":2}"),
        new Target("/api/vms/fz-ghost/move", "{\"to\":\"h2\",\"live\":false,\"reason\":\"fuzz\"}"),
        new Target("/api/hosts/fz-ghost/drain", "{\"to\":\"h2\",\"live\":false,\"dryRun\":true}"),
        new Target("/api/hosts/fz-ghost/replace", "{\"to\":\"h2\",\"live\":false,\"dryRun\":false}"),
        new Target("/api/cluster/down", "{\"address\":\"pekko://avm@127.0.0.1:1\"}"),
        new Target("/api/cluster/leave", "{\"address\":\"pekko://avm@127.0.0.1:1\"}"));
    int before = settledLog();
    Set<String> accepted = new HashSet<>();
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < 1200; i++) {
      Target t = targets.get(random.nextInt(targets.size()));
      Mutation m = mutate(t.body(), random);
      Api.Response r = api.post(t.path(), m.body(), m.contentType());
      statuses.merge(r.status(), 1, Integer::sum);
      String what = t.path() + " <- " + clip(m.body()) + " [" + m.contentType() + "]: " + r;
      if (r.status() < 200 || r.status() >= 500) {
        failures.add(what);
      } else if (r.status() >= 400) {
        checkRefusal(r, what, failures);
      } else if (t.path().equals("/api/vms") || t.path().equals("/api/services")) {
        accepted.addAll(refsOf(r.json()));
      }
    }
    assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " bad answers");
    // every kind of refusal was met: the mutations reached the reader, the size limit and the type check
    assertTrue(statuses.keySet().containsAll(List.of(400, 413, 415)), "answers by status: " + statuses);
    assertAlive();
    List<JsonNode> after = newSince(before);
    List<String> leaked = after.stream().map(e -> e.path("entity").asText()).filter(ref -> !accepted.contains(ref))
        .distinct().toList();
    assertEquals(List.of(), leaked, "entities with events though every request about them was refused");
  }

  /** A route that takes a body, and a valid body for it to mutate. */
  private record Target(String path, String body) {}

  /** A mutated body and the content type it is sent with. */
  private record Mutation(String body, String contentType) {}

  /** One of the kinds of bad input, chosen at random, applied to {@code body}. */
  private static Mutation mutate(String body, Random random) {
    String json = "application/json";
    switch (random.nextInt(12)) {
      case 0 -> {
        return new Mutation(body, random.nextBoolean() ? "text/plain" : null);
      }
      case 1 -> {
        List<String> garbage = List.of("garbage", "}", "{}", " [1]", ",", "\"x\"", "null");
        return new Mutation(body + garbage.get(random.nextInt(garbage.size())), json);
      }
      case 2 -> {
        return new Mutation(body.substring(0, random.nextInt(body.length())), json);
      }
      case 3 -> {
        int depth = 10 + random.nextInt(2000);
        return new Mutation(replaceValue(body, random, "[".repeat(depth) + "]".repeat(depth)), json);
      }
      case 4 -> {
        int length = random.nextInt(4) == 0 ? 200_000 + random.nextInt(200_000) : 100 + random.nextInt(5000);
        return new Mutation(replaceValue(body, random, "\"" + "y".repeat(length) + "\""), json);
      }
      case 5 -> {
        List<String> numbers = List.of("2147483648", "-2147483649", "9223372036854775808", "1e400", "-1", "0",
            "1000000", "2147483647", "-9999999999", "1" + "0".repeat(150), "4.0e3", "-0.5");
        return new Mutation(replaceValue(body, random, numbers.get(random.nextInt(numbers.size()))), json);
      }
      case 6 -> {
        List<String> wrong = List.of("\"4\"", "1.5", "true", "false", "null", "[]", "{}", "\"\"", "[\"a\"]",
            "{\"a\":1}", "0", "1");
        return new Mutation(replaceValue(body, random, wrong.get(random.nextInt(wrong.size()))), json);
      }
      case 7 -> {
        String field = List.of("zz", "cpus", "Name", "__proto__", "vm_id").get(random.nextInt(5));
        return new Mutation(addField(body, random, field), json);
      }
      case 8 -> {
        List<String> whole = List.of("[]", "null", "1", "\"text\"", "true", "{", "", " ", "\u0000", "{\"a\"}");
        return new Mutation(whole.get(random.nextInt(whole.size())), json);
      }
      case 9 -> {
        char[] chars = body.toCharArray();
        for (int k = 0; k < 1 + random.nextInt(3); k++) chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
        return new Mutation(new String(chars), json);
      }
      case 10 -> {
        // a key given twice
        return new Mutation(body.replaceFirst("\\{", "{\"to\":null,\"name\":\"x\",\"vmId\":\"x\",\"kind\":\"x\","), json);
      }
      default -> {
        // two mutations at once
        Mutation first = mutate(body, random);
        return first.body().isEmpty() ? first : mutate(first.body(), random);
      }
    }
  }

  /** {@code body} with one value somewhere in it (at any depth) replaced by {@code value}; the body as is when it is not an object. */
  private static String replaceValue(String body, Random random, String value) {
    JsonNode tree = tree(body);
    if (tree == null) return body;
    List<Consumer<JsonNode>> slots = new ArrayList<>();
    collectSlots(tree, slots);
    if (slots.isEmpty()) return body;
    String marker = "\"@@value@@\"";
    slots.get(random.nextInt(slots.size())).accept(Api.JSON.getNodeFactory().textNode("@@value@@"));
    return Api.write(tree).replace(marker, value);
  }

  private static void collectSlots(JsonNode node, List<Consumer<JsonNode>> slots) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        slots.add(v -> o.set(name, v));
        collectSlots(o.get(name), slots);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        int index = i;
        slots.add(v -> a.set(index, v));
        collectSlots(a.get(i), slots);
      }
    }
  }

  private static String addField(String body, Random random, String field) {
    JsonNode tree = tree(body);
    if (!(tree instanceof ObjectNode root)) return body;
    List<ObjectNode> objects = new ArrayList<>();
    collectObjects(root, objects);
    objects.get(random.nextInt(objects.size())).put(field, 1);
    return Api.write(tree);
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> out) {
    if (node instanceof ObjectNode o) out.add(o);
    node.forEach(child -> collectObjects(child, out));
  }

  private static JsonNode tree(String body) {
    try {
      return Api.JSON.readTree(body);
    } catch (Exception notJson) {
      // an earlier mutation broke it: mutate the text only
      return null;
    }
  }

  /** The entities an accepted definition creates: the VM, or the service and its applications. */
  private static List<String> refsOf(JsonNode answer) {
    List<String> refs = new ArrayList<>();
    if (answer.has("vmId")) refs.add("vm:" + answer.path("vmId").asText());
    if (answer.has("name")) {
      refs.add("service:" + answer.path("name").asText());
      answer.path("spec").path("apps").forEach(a -> refs.add("app:" + a.path("app").asText()));
    }
    return refs;
  }

  /** Notes what is wrong with a refusal's body: not one line of {"error": ...}, or naming Java internals. */
  private static void checkRefusal(Api.Response r, String what, List<String> failures) {
    try {
      String line = r.assertError(r.status());
      for (String internal : INTERNALS) {
        if (line.contains(internal)) failures.add("names " + internal + ": " + what);
      }
    } catch (AssertionError e) {
      failures.add(e.getMessage() + ": " + what);
    }
  }

  private static String clip(String s) {
    return s == null ? "null" : s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
  }

  /** Asserts {@code r} is a refusal with {@code status} and one clean line, and returns the line. */
  private static String refused(int status, Api.Response r) {
    String line = r.assertError(status);
    for (String internal : INTERNALS) assertFalse(line.contains(internal), () -> "names " + internal + ": " + line);
    return line;
  }

  /** Runs requests that must all be refused, and asserts that the journal holds nothing new afterwards. */
  private void refusedPersistsNothing(Runnable requests) {
    int before = settledLog();
    requests.run();
    assertEquals(List.of(), newSince(before).stream()
        .map(e -> e.path("entity").asText() + " " + e.path("event").asText()).toList(), "events of refused requests");
  }

  /**
   * The audit log's length once everything persisted so far is in it: a marker VM is defined and
   * awaited (the log's read side lags), and counted.
   */
  private int settledLog() {
    return settled().size();
  }

  /** The audit log once a fresh marker VM's definition is in it. */
  private List<JsonNode> settled() {
    String marker = "bad-marker-" + markers.incrementAndGet();
    assertEquals(201, api.post("/api/vms", Api.vm(marker, 1, 64)).status());
    return Await.until("marker " + marker + " in the audit log", WAIT, api::auditLog,
        l -> l.stream().anyMatch(e -> e.path("entity").asText().equals("vm:" + marker)));
  }

  /** The audit log's entries after the first {@code before}, up to a fresh marker, markers left out. */
  private List<JsonNode> newSince(int before) {
    List<JsonNode> log = settled();
    return log.subList(before, log.size()).stream()
        .filter(e -> !e.path("entity").asText().startsWith("vm:bad-marker-")).toList();
  }

  private void assertAlive() {
    assertEquals(200, api.get("/api/cluster").status(), "the node still answers");
    assertEquals(List.of("h1", "h2"), api.hostsUp().stream().sorted().toList());
  }
}
