package io.actorvmm.adapters.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny application for demos of the process runtime:
 * {@code DemoHttpApp --port P [--name N] [--needs tcp:HOST:PORT ...]}. It answers {@code GET /} with
 * its name and {@code GET /health} with 200 only while every endpoint it needs accepts TCP connections
 * (503 naming the first missing one otherwise), so an application that needs a database reports
 * healthy only once the database answers.
 */
public final class DemoHttpApp {

  private DemoHttpApp() {}

  /** Runs the application until the process is ended. */
  public static void main(String[] args) throws IOException {
    int port = -1;
    String name = "demo";
    List<String> needs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) usage("missing value after " + a);
      switch (a) {
        case "--port" -> port = parsePort(args[++i]);
        case "--name" -> name = args[++i];
        case "--needs" -> {
          String n = args[++i];
          if (!n.startsWith("tcp:")) usage("--needs takes tcp:HOST:PORT, not " + n);
          needs.add(n.substring(4));
        }
        default -> usage("unknown argument " + a);
      }
    }
    if (port < 0) usage("--port is required");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    String appName = name;
    server.createContext("/health", ex -> {
      String missing = needs.stream().filter(n -> !HealthCheck.tcpOpen(n)).findFirst().orElse(null);
      if (missing == null) answer(ex, 200, appName + " healthy\n");
      else answer(ex, 503, appName + " waits for tcp:" + missing + "\n");
    });
    server.createContext("/", ex -> answer(ex, 200, appName + "\n"));
    server.start();
    System.out.println(appName + " listening on 127.0.0.1:" + port);
  }

  private static void answer(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static int parsePort(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      usage("--port must be a number, not " + s);
      return -1;
    }
  }

  private static void usage(String problem) {
    System.err.println("DemoHttpApp: " + problem
        + "\nusage: DemoHttpApp --port P [--name N] [--needs tcp:HOST:PORT ...]");
    System.exit(2);
  }
}
