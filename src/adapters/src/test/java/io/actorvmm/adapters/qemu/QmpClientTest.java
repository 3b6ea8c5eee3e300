package io.actorvmm.adapters.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.actorvmm.adapters.AdapterException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QMP client against a scripted monitor on a Unix socket. */
class QmpClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private ServerSocketChannel server;
  private Thread serverThread;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  /**
   * Serves one client: a greeting, then for each request the lines {@code answer} gives (empty: silence,
   * null: hang up).
   */
  private Path serve(Function<JsonNode, List<String>> answer) throws IOException {
    Path sock = tmp.resolve("qmp.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
    serverThread = new Thread(() -> {
      try (SocketChannel ch = server.accept()) {
        OutputStream out = Channels.newOutputStream(ch);
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        // the greeting arrives in two pieces to exercise reassembly of partial reads
        out.write("{\"QMP\": {\"version\": {\"qemu\": {\"major\": 7}}, ".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.write("\"capabilities\": []}}\r\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
          JsonNode req = JSON.readTree(line);
          received.add(req);
          List<String> replies = answer.apply(req);
          if (replies == null) return; // hang up
          for (String reply : replies) out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException ignored) {
        // the client went away
      }
    }, "fake-qmp");
    serverThread.setDaemon(true);
    serverThread.start();
    return sock;
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) server.close();
  }

  @Test
  void negotiatesRunsCommandsAndKeepsEvents() throws IOException {
    Path sock = serve(req -> switch (req.path("execute").asText()) {
      case "qmp_capabilities" -> List.of("{\"return\": {}}");
      case "query-status" -> List.of("{\"event\": \"RESUME\", \"data\": {}}",
          "{\"return\": {\"status\": \"running\", \"running\": true}}");
      default -> List.of("{\"return\": " + req.path("arguments") + "}");
    });
    try (QmpClient c = QmpClient.connect(sock, Duration.ofSeconds(2), Duration.ofSeconds(2))) {
      assertEquals(7, c.greeting().path("QMP").path("version").path("qemu").path("major").asInt());
      assertEquals("running", c.execute("query-status").path("status").asText());
      JsonNode echoed = c.execute("migrate", Map.of("uri", "tcp:127.0.0.1:5", "blk", false));
      assertEquals("tcp:127.0.0.1:5", echoed.path("uri").asText());
      assertEquals(List.of("RESUME"), c.takeEvents().stream().map(e -> e.path("event").asText()).toList());
      assertTrue(c.takeEvents().isEmpty());
    }
    assertEquals("qmp_capabilities", received.get(0).path("execute").asText());
    assertEquals(false, received.get(2).path("arguments").path("blk").asBoolean(true));
  }

  @Test
  void anErrorAnswerBecomesAQmpException() throws IOException {
    Path sock = serve(req -> req.path("execute").asText().equals("qmp_capabilities")
        ? List.of("{\"return\": {}}")
        : List.of("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}"));
    try (QmpClient c = QmpClient.connect(sock, Duration.ofSeconds(2), Duration.ofSeconds(2))) {
      QmpException e = assertThrows(QmpException.class, () -> c.execute("nope"));
      assertEquals("CommandNotFound", e.errorClass());
      assertEquals("qmp nope failed: The command nope has not been found", e.getMessage());
    }
  }

  @Test
  void aSilentMonitorTimesOut() throws IOException {
    Path sock = serve(req -> req.path("execute").asText().equals("qmp_capabilities")
        ? List.of("{\"return\": {}}") : List.of());
    try (QmpClient c = QmpClient.connect(sock, Duration.ofSeconds(2), Duration.ofMillis(300))) {
      long t0 = System.nanoTime();
      AdapterException e = assertThrows(AdapterException.class, () -> c.execute("query-status"));
      assertEquals("qmp query-status: no answer within 300 ms", e.getMessage());
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos());
    }
  }

  @Test
  void aMissingSocketFailsAfterTheConnectDeadline() {
    long t0 = System.nanoTime();
    AdapterException e = assertThrows(AdapterException.class,
        () -> QmpClient.connect(tmp.resolve("absent.sock"), Duration.ofMillis(200), Duration.ofSeconds(1)));
    assertTrue(e.getMessage().startsWith("cannot reach qmp socket "), e.getMessage());
    assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(200).toNanos());
  }

  @Test
  void aMonitorThatHangsUpFailsTheCommand() throws IOException {
    Path sock = serve(req -> req.path("execute").asText().equals("qmp_capabilities")
        ? List.of("{\"return\": {}}") : null);
    try (QmpClient c = QmpClient.connect(sock, Duration.ofSeconds(2), Duration.ofSeconds(2))) {
      AdapterException e = assertThrows(AdapterException.class, () -> c.execute("quit"));
      assertTrue(e.getMessage().contains("closed by qemu"), e.getMessage());
    }
  }
}
