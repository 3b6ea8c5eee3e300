package io.actorvmm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.actorvmm.api.model.ErrorBody;
import io.actorvmm.api.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A stand-in for a node's HTTP API on an ephemeral 127.0.0.1 port: canned answers, every request recorded. */
final class StubNode implements AutoCloseable {
  static final ObjectMapper MAPPER = Json.mapper();

  /** One request as the node received it. */
  record Request(String method, String path, String rawQuery, String body, String user, String contentType,
                 String authorization) {
    /** The decoded query parameters. */
    Map<String, String> query() {
      Map<String, String> out = new LinkedHashMap<>();
      if (rawQuery == null || rawQuery.isEmpty()) return out;
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      return out;
    }

    /** The body as JSON. */
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private record Reply(int status, String body, long delayMillis) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Reply> routes = new ConcurrentHashMap<>();

  StubNode() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** host:port of this stub. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code method path} (the raw path) with {@code status} and {@code body} as JSON. */
  StubNode answer(String method, String path, int status, Object body) {
    routes.put(method + " " + path, new Reply(status, json(body), 0));
    return this;
  }

  /** Answers 200 with {@code body}. */
  StubNode ok(String method, String path, Object body) {
    return answer(method, path, 200, body);
  }

  /** Answers with an error status and the API's error body. */
  StubNode error(String method, String path, int status, String message) {
    return answer(method, path, status, new ErrorBody(message));
  }

  /** Answers with a raw body after a delay. */
  StubNode slow(String method, String path, long delayMillis, Object body) {
    routes.put(method + " " + path, new Reply(200, json(body), delayMillis));
    return this;
  }

  /** Every request received, in order. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The only request received; fails when there was not exactly one. */
  Request only() {
    if (requests.size() != 1) throw new AssertionError("expected exactly one request, got " + requests);
    return requests.get(0);
  }

  /** {@code value} as the JSON tree a client would read from the wire (so int and long compare equal). */
  static JsonNode tree(Object value) {
    try {
      return MAPPER.readTree(json(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Object body) {
    try {
      return body instanceof String s ? s : MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = ex.getRequestURI().getRawPath();
    requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), body,
        ex.getRequestHeaders().getFirst("X-Avm-User"), ex.getRequestHeaders().getFirst("Content-Type"),
        ex.getRequestHeaders().getFirst("Authorization")));
    Reply reply = routes.getOrDefault(ex.getRequestMethod() + " " + path,
        new Reply(404, json(new ErrorBody("stub has no route " + ex.getRequestMethod() + " " + path)), 0));
    if (reply.delayMillis() > 0) {
      try {
        Thread.sleep(reply.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    try {
      ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) ex.getResponseBody().write(bytes);
    } catch (IOException ignored) {
      // the client gave up (timeout test)
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
