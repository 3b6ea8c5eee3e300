package io.actorvmm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.actorvmm.api.model.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Speaks the node's HTTP API (docs/API.md): sends a request, returns the JSON answer or throws a one-line failure. */
public final class NodeClient {
  /** The header annotating requests with the caller's name; the node records it beside the authenticated principal. */
  public static final String USER_HEADER = "X-Avm-User";

  /** The wire format's mapper, shared with the server through api-model. */
  public static final ObjectMapper MAPPER = Json.mapper();

  private final HttpClient http;
  private final NodeAddress address;
  private final String user;
  private final Duration requestTimeout;
  private String token;
  private boolean triedLocal;

  /** A client for one node without a token (it looks for a local node's admin token when refused), annotating with {@code user}. */
  public NodeClient(HttpClient http, NodeAddress address, String user, Duration requestTimeout) {
    this(http, address, user, null, requestTimeout);
  }

  /**
   * A client for one node, sending {@code token} (null: none), annotating its requests with {@code user},
   * giving up on an answer after {@code requestTimeout}.
   */
  public NodeClient(HttpClient http, NodeAddress address, String user, String token, Duration requestTimeout) {
    this.http = http;
    this.address = address;
    this.user = user;
    this.token = token;
    this.requestTimeout = requestTimeout;
  }

  /** The address this client talks to. */
  public NodeAddress address() {
    return address;
  }

  /** GET {@code path}. */
  public JsonNode get(String path) {
    return get(path, Map.of());
  }

  /** GET {@code path} with query parameters; null values are left out. */
  public JsonNode get(String path, Map<String, String> query) {
    return send(HttpRequest.newBuilder(address.uri(path + query(query))).GET());
  }

  /** POST {@code path} with {@code body} as JSON, or with no body when it is null. */
  public JsonNode post(String path, Object body) {
    HttpRequest.BodyPublisher publisher;
    if (body == null) {
      publisher = HttpRequest.BodyPublishers.noBody();
    } else {
      try {
        publisher = HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body));
      } catch (JsonProcessingException e) {
        throw new CliException("cannot write the request: " + e.getOriginalMessage(), CliException.FAILURE, e);
      }
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(address.uri(path)).POST(publisher);
    if (body != null) request.header("Content-Type", "application/json");
    return send(request);
  }

  /** A path from segments, each percent-encoded except the characters ids and references use ({@code vm:web-1}). */
  public static String path(String... segments) {
    StringBuilder out = new StringBuilder();
    for (String segment : segments) {
      out.append('/');
      for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
        char c = (char) (b & 0xff);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:@".indexOf(c) >= 0) {
          out.append(c);
        } else {
          out.append('%').append(String.format("%02X", b & 0xff));
        }
      }
    }
    return out.toString();
  }

  private static String query(Map<String, String> params) {
    StringJoiner out = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach((k, v) -> {
      if (v != null) out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return out.toString();
  }

  private JsonNode send(HttpRequest.Builder builder) {
    HttpResponse<String> response = exchange(builder.copy());
    if (response.statusCode() == 401 && token == null && !triedLocal && address.isLoopback()) {
      // a node on this machine: its data directory's admin token, when this user may read it
      triedLocal = true;
      token = localAdminToken();
      if (token != null) response = exchange(builder.copy());
    }
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    if (status >= 200 && status < 300) return parse(body);
    throw new ApiException(status, errorLine(status, body));
  }

  /** The admin token of the local node's data directory (the node says where its file is), or null. */
  private String localAdminToken() {
    HttpResponse<String> r = exchange(HttpRequest.newBuilder(address.uri("/api/auth/local")).GET());
    if (r.statusCode() != 200) return null;
    JsonNode file = parse(r.body()).path("adminTokenFile");
    return file.isTextual() ? Credentials.read(java.nio.file.Path.of(file.asText())) : null;
  }

  private HttpResponse<String> exchange(HttpRequest.Builder builder) {
    builder.timeout(requestTimeout).header("Accept", "application/json");
    if (user != null) builder.header(USER_HEADER, user);
    if (token != null) builder.header("Authorization", "Bearer " + token);
    HttpRequest request = builder.build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("connect timed out", e);
    } catch (HttpTimeoutException e) {
      throw new CliException("node at " + address + " did not answer within " + seconds(requestTimeout),
          CliException.FAILURE, e);
    } catch (IOException | UnresolvedAddressException e) {
      throw unreachable(reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", CliException.FAILURE, e);
    }
  }

  private CliException unreachable(String reason, Throwable cause) {
    return new CliException("cannot reach node at " + address + " (" + reason + ")", CliException.FAILURE, cause);
  }

  /** Why a connection failed, in the user's words; the JDK often leaves the message of a refused connection empty. */
  private static String reason(Throwable e) {
    String last = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return "unknown host";
      if (t instanceof ConnectException && (t.getMessage() == null || t.getMessage().toLowerCase().contains("refused"))) {
        return "connection refused";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) last = t.getMessage();
    }
    return last == null ? e.getClass().getSimpleName() : Format.firstLine(last).toLowerCase();
  }

  private static JsonNode parse(String body) {
    if (body.isBlank()) return NullNode.getInstance();
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new CliException("the node's answer is not JSON: " + Format.firstLine(e.getOriginalMessage()), CliException.FAILURE, e);
    }
  }

  /** The server's {@code error} line; for a body that is not our error JSON, its first line. */
  static String errorLine(int status, String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node != null && node.hasNonNull("error")) return Format.firstLine(node.get("error").asText());
    } catch (JsonProcessingException ignored) {
      // not JSON: a proxy's or the HTTP server's own page; fall back to its text
    }
    String line = Format.firstLine(body).strip();
    if (line.isEmpty()) return "node answered HTTP " + status;
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
