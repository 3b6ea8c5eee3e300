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
  /** The header naming the caller; the node records it as {@code who} on the events it causes. */
  public static final String USER_HEADER = "X-Avm-User";

  /** The wire format's mapper, shared with the server through api-model. */
  public static final ObjectMapper MAPPER = Json.mapper();

  private final HttpClient http;
  private final NodeAddress address;
  private final String user;
  private final Duration requestTimeout;

  /** A client for one node, naming itself {@code user}, giving up on an answer after {@code requestTimeout}. */
  public NodeClient(HttpClient http, NodeAddress address, String user, Duration requestTimeout) {
    this.http = http;
    this.address = address;
    this.user = user;
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
    HttpRequest request = builder.timeout(requestTimeout)
        .header(USER_HEADER, user)
        .header("Accept", "application/json")
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    if (status >= 200 && status < 300) return parse(body);
    throw new ApiException(status, errorLine(status, body));
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
