package io.actorvmm.adapters.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actorvmm.adapters.AdapterException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client of QEMU's machine protocol (QMP) over the monitor's Unix socket: reads the greeting, leaves
 * negotiation mode with {@code qmp_capabilities}, then runs one command at a time and returns its
 * {@code return} value. Events that arrive between answers are kept for {@link #takeEvents()}. Every
 * read has a deadline; an error answer becomes a {@link QmpException}.
 */
public final class QmpClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SocketChannel channel;
  private final Selector selector;
  private final Duration timeout;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final List<JsonNode> events = new ArrayList<>();
  private final JsonNode greeting;

  private QmpClient(SocketChannel channel, Duration timeout) throws IOException {
    this.channel = channel;
    this.timeout = timeout;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    channel.register(selector, SelectionKey.OP_READ);
    this.greeting = readMessage("greeting");
    if (!greeting.has("QMP")) throw new AdapterException("qmp greeting expected, got " + greeting);
  }

  /**
   * Connects to the monitor socket, retrying until {@code connectWithin} passes (QEMU creates the
   * socket while it starts), and negotiates capabilities. Each answer then has {@code timeout}.
   */
  public static QmpClient connect(Path socket, Duration connectWithin, Duration timeout) {
    long deadline = System.nanoTime() + connectWithin.toNanos();
    IOException last = null;
    do {
      SocketChannel ch = null;
      try {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        QmpClient c = new QmpClient(ch, timeout);
        c.execute("qmp_capabilities");
        return c;
      } catch (IOException e) {
        last = e;
        closeQuietly(ch);
        sleep(50);
      }
    } while (System.nanoTime() < deadline);
    throw new AdapterException("cannot reach qmp socket " + socket + ": " + (last == null ? "timeout" : last.getMessage()));
  }

  /** The server's greeting (QEMU version and offered capabilities). */
  public JsonNode greeting() {
    return greeting;
  }

  /** Runs a command without arguments. */
  public JsonNode execute(String command) {
    return execute(command, Map.of());
  }

  /** Runs a command with arguments and returns its {@code return} value. */
  public synchronized JsonNode execute(String command, Map<String, ?> arguments) {
    ObjectNode req = JSON.createObjectNode();
    req.put("execute", command);
    if (!arguments.isEmpty()) req.set("arguments", JSON.valueToTree(arguments));
    try {
      byte[] line = (JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer buf = ByteBuffer.wrap(line);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (buf.hasRemaining()) {
        if (channel.write(buf) == 0) {
          if (System.nanoTime() > deadline) throw new AdapterException("qmp " + command + ": write timed out");
          sleep(5);
        }
      }
      while (true) {
        JsonNode msg = readMessage(command);
        if (msg.has("event")) {
          events.add(msg);
        } else if (msg.has("error")) {
          JsonNode err = msg.get("error");
          throw new QmpException(command, err.path("class").asText("Error"), err.path("desc").asText(""));
        } else if (msg.has("return")) {
          return msg.get("return");
        }
      }
    } catch (IOException e) {
      throw new AdapterException("qmp " + command + " failed: " + e.getMessage(), e);
    }
  }

  /** The events received so far, oldest first; they are forgotten afterwards. */
  public synchronized List<JsonNode> takeEvents() {
    List<JsonNode> out = List.copyOf(events);
    events.clear();
    return out;
  }

  /** True while the connection is open. */
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() {
    closeQuietly(channel);
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  private JsonNode readMessage(String what) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    while (true) {
      byte[] bytes = pending.toByteArray();
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          String line = new String(bytes, 0, i, StandardCharsets.UTF_8).trim();
          pending.reset();
          pending.write(bytes, i + 1, bytes.length - i - 1);
          if (!line.isEmpty()) return JSON.readTree(line);
          bytes = pending.toByteArray();
          i = -1;
        }
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) throw new AdapterException("qmp " + what + ": no answer within " + timeout.toMillis() + " ms");
      selector.select(left);
      selector.selectedKeys().clear();
      buf.clear();
      int n = channel.read(buf);
      if (n < 0) throw new IOException("qmp connection closed by qemu");
      pending.write(buf.array(), 0, n);
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdapterException("interrupted while talking to qmp");
    }
  }
}
