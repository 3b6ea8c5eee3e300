package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.api.AvmNode;
import java.io.IOException;
import java.io.Reader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a node exposes on its own (issue 13): the server of its embedded H2 journal, which the other
 * local nodes use, listens on the loopback address only, and the data directory that holds the
 * journal and its server's key is its owner's alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SafeDefaultsTest {
  private Path dir;
  private AvmNode node;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("safe-defaults");
    node = TestNodes.startAndAwaitHosts(TestNodes.single(dir, "h1"));
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(node);
    TestNodes.deleteQuietly(dir);
  }

  /** The address:port the embedded journal's server announces in its lock file, where other nodes read it. */
  private String announcedServer() throws IOException {
    Path lock = node.runtime().settings().dataDir().resolve("journal.lock.db");
    assertTrue(Files.exists(lock), "the journal's lock file " + lock);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(lock, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      p.load(r);
    }
    String server = p.getProperty("server");
    assertTrue(server != null && server.contains(":"), "the lock file names its server: " + p.keySet());
    return server;
  }

  /** The local addresses (hex, as the kernel writes them) of the TCP sockets listening on {@code port}. */
  private static List<String> listeners(int port) throws IOException {
    List<String> out = new ArrayList<>();
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path f = Path.of(table);
      if (!Files.exists(f)) continue;
      for (String line : Files.readAllLines(f)) {
        String[] cols = line.trim().split("\\s+");
        // sl local_address rem_address st ...; st 0A is LISTEN
        if (cols.length < 4 || !cols[3].equals("0A")) continue;
        String[] local = cols[1].split(":");
        if (local.length == 2 && local[1].equals(hexPort)) out.add(local[0]);
      }
    }
    return out;
  }

  @Test
  void theJournalsServerListensOnLoopbackOnly() throws IOException {
    String server = announcedServer();
    int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    assertTrue(InetAddress.getByName(server.substring(0, server.lastIndexOf(':'))).isLoopbackAddress(),
        "announced on a loopback address: " + server);
    // the kernel's own table: one listener on the port, bound to 127.0.0.1 (hex 0100007F, in /proc/net/tcp6
    // as ::ffff:127.0.0.1), none on any address
    List<String> bound = listeners(port);
    assertEquals(1, bound.size(), "listeners on port " + port + ": " + bound);
    assertTrue(bound.get(0).equals("0100007F") || bound.get(0).equals("0000000000000000FFFF00000100007F"),
        "bound to 127.0.0.1, not " + bound.get(0));
    // and a connection to it through this machine's other addresses is refused
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      for (InetAddress a : nic.inetAddresses().toList()) {
        if (a.isLoopbackAddress() || !(a instanceof Inet4Address)) continue;
        assertThrows(ConnectException.class, () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a, port), 2000);
          }
        }, "a connection through " + a.getHostAddress());
      }
    }
    // the nodes themselves still reach it
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      assertTrue(s.isConnected());
    }
  }

  @Test
  void theDataDirectoryIsItsOwnersAlone() throws IOException {
    Path data = node.runtime().settings().dataDir();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)), data.toString());
  }
}
