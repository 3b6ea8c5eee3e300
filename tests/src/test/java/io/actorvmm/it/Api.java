package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain HTTP client for one node's API (java.net.http), as an outside caller sees it. It authenticates
 * as the CLI does on the node's machine: the node says where its data directory's admin token file is
 * (GET /api/auth/local), and the client reads it. A client for a named user first creates that user
 * through the API as admin, grants it operator on /, and issues it a token of its own, so the audit
 * trail's "who" of its requests is that user, authenticated.
 */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private enum Mode { ADMIN, USER, FIXED }

  private final int port;
  private final String user;
  private final Mode mode;
  private volatile String token;

  private Api(int port, String user, Mode mode, String token) {
    this.port = port;
    this.user = user;
    this.mode = mode;
    this.token = token;
  }

  /** The API on 127.0.0.1:{@code port} as user {@code user}, an operator on / (null: as the node's admin). */
  Api(int port, String user) {
    this(port, user, user == null ? Mode.ADMIN : Mode.USER, null);
  }

  /** The API on 127.0.0.1:{@code port} as the node's admin. */
  Api(int port) {
    this(port, null);
  }

  /** The same node as user {@code other} (an operator on /). */
  Api as(String other) {
    return new Api(port, other);
  }

  /** The same node with exactly this token (null: none at all). */
  Api withToken(String other) {
    return new Api(port, null, Mode.FIXED, other);
  }

  /** The token this client sends (resolving it first), or null when it has none yet. */
  String token() {
    return token != null ? token : resolve();
  }

  /** The admin token of the node's data directory, or null when the node does not answer (yet). */
  String adminToken() {
    Response r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/local"))
        .timeout(Duration.ofSeconds(30)).GET(), null);
    if (r.status() != 200) return null;
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(r.json().path("adminTokenFile").asText())).strip();
    } catch (IOException e) {
      throw new AssertionError("cannot read the admin token file: " + r.body(), e);
    }
  }

  /** Finds the token of this client's principal: the admin's, or a new one of its user; null when the node cannot tell yet. */
  private synchronized String resolve() {
    if (token != null || mode == Mode.FIXED) return token;
    String admin = adminToken();
    if (admin == null || mode == Mode.ADMIN) return token = admin;
    Api root = withToken(admin);
    Response created = root.postJson("/api/users", java.util.Map.of("name", user));
    if (created.status() != 201 && created.status() != 409) return null;
    if (root.postJson("/api/users/" + user + "/grant", java.util.Map.of("role", "operator", "path", "/")).status() != 200) {
      return null;
    }
    Response issued = root.postJson("/api/tokens", java.util.Map.of("owner", user, "label", "integration test"));
    if (issued.status() != 201) return null;
    return token = issued.json().path("token").asText();
  }

  int port() {
    return port;
  }

  /** An answer: status and body; status -1 when the node could not be reached (the body says why). */
  record Response(int status, String body) {
    JsonNode json() {
      try {
        return body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("answer is not JSON: " + body, e);
      }
    }

    /** Asserts the status and that the body is exactly {"error": one non-empty line}; returns the line. */
    String assertError(int expected) {
      assertEquals(expected, status, () -> "status of answer " + body);
      JsonNode j = json();
      assertTrue(j.isObject() && j.size() == 1 && j.path("error").isTextual(), () -> "not {\"error\": ...}: " + body);
      String line = j.get("error").asText();
      assertFalse(line.isBlank(), "error line is blank");
      assertFalse(line.contains("\n") || line.contains("\r"), () -> "error is not one line: " + line);
      return line;
    }

    /** Asserts a 2xx status and returns the JSON body. */
    JsonNode ok() {
      assertTrue(status >= 200 && status < 300, () -> "expected success, got " + status + ": " + body);
      return json();
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 400 ? body.substring(0, 400) + "…" : body);
    }
  }

  Response get(String pathAndQuery) {
    return call(request(pathAndQuery).GET());
  }

  /** POST with a raw body (null: no body). */
  Response post(String path, String body) {
    return post(path, body, "application/json");
  }

  /** POST with a raw body (null: no body) saying it is of {@code contentType} (null: no Content-Type header). */
  Response post(String path, String body, String contentType) {
    HttpRequest.Builder b = request(path);
    if (body == null) {
      b.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      if (contentType != null) b.header("Content-Type", contentType);
      b.POST(HttpRequest.BodyPublishers.ofString(body));
    }
    return call(b);
  }

  /** POST with {@code value} written as JSON. */
  Response postJson(String path, Object value) {
    return post(path, write(value));
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  /** Sends with this client's token; a token the node no longer takes (a new data directory on the port) is looked up again once. */
  private Response call(HttpRequest.Builder b) {
    String used = token();
    Response r = send(b.copy(), used);
    if (r.status() == 401 && mode != Mode.FIXED && used != null) {
      synchronized (this) {
        if (used.equals(token)) token = null;
      }
      String again = token();
      if (again != null && !again.equals(used)) r = send(b.copy(), again);
    }
    return r;
  }

  private static Response send(HttpRequest.Builder b, String token) {
    if (token != null) b.header("Authorization", "Bearer " + token);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Response(-1, "unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  // ---- conveniences over the documented routes ----

  /** Every journal entry in journal order (GET /api/audit with a limit above anything a test writes). */
  List<JsonNode> auditLog() {
    return list(get("/api/audit?limit=1000000").ok());
  }

  /** One entity's events, or an empty list when it has none (404). */
  List<JsonNode> history(String ref) {
    Response r = get("/api/audit/history/" + ref);
    if (r.status() == 404) return List.of();
    return list(r.ok());
  }

  /** The event names of one entity's history, in order. */
  List<String> eventNames(String ref) {
    return history(ref).stream().map(e -> e.path("event").asText()).toList();
  }

  /** A host's status (up/down), or the failure as text when the node cannot answer now. */
  String hostStatus(String hostId) {
    Response r = get("/api/hosts/" + hostId);
    return r.status() == 200 ? r.json().path("status").asText() : "HTTP " + r;
  }

  /** A VM's phase, or the failure as text. */
  String vmPhase(String vmId) {
    Response r = get("/api/vms/" + vmId);
    return r.status() == 200 ? r.json().path("phase").asText() : "HTTP " + r;
  }

  /** The ids of the hosts in GET /api/hosts whose status is up. */
  List<String> hostsUp() {
    Response r = get("/api/hosts");
    if (r.status() != 200) return List.of();
    List<String> up = new ArrayList<>();
    for (JsonNode h : r.json()) if ("up".equals(h.path("status").asText())) up.add(h.path("hostId").asText());
    return up;
  }

  static List<JsonNode> list(JsonNode array) {
    assertTrue(array.isArray(), () -> "expected a JSON array: " + array);
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  /** A CreateVm body. */
  static String vm(String id, int cpu, long memoryMiB) {
    return write(new java.util.LinkedHashMap<>(java.util.Map.of("vmId", id, "cpuCores", cpu, "memoryMiB", memoryMiB,
        "diskGiB", 1, "networkMbit", 10, "runtime", "simulated", "image", "it.qcow2")));
  }
}
