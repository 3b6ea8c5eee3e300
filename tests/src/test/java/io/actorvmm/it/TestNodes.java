package io.actorvmm.it;

import io.actorvmm.api.AvmNode;
import io.actorvmm.runtime.NodeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Starting and stopping nodes in this JVM on free ports, and their scratch directories. */
final class TestNodes {
  private TestNodes() {}

  /** A fresh directory for one test's journal and logs. */
  static Path tempDir(String name) {
    try {
      return Files.createTempDirectory("avm-it-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes a scratch directory; a file still held open is left behind rather than failing the test. */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: the OS cleans the temp directory eventually
    }
  }

  /** One node with both roles on free ports, H2 under {@code dir}, running {@code hosts}. */
  static NodeSettings single(Path dir, String... hosts) {
    return NodeSettings.local(Ports.free(), Ports.free(), dir).withHosts(List.of(hosts));
  }

  /** Starts a node and waits until its API lists every host it runs as up. */
  static AvmNode startAndAwaitHosts(NodeSettings settings) {
    AvmNode node = AvmNode.start(settings);
    awaitHostsUp(new Api(node.apiPort()), settings.effectiveHostIds().toArray(String[]::new));
    return node;
  }

  /** Waits until GET /api/hosts on {@code api} shows every one of {@code hosts} up. */
  static void awaitHostsUp(Api api, String... hosts) {
    try {
      Await.until("hosts " + Arrays.toString(hosts) + " up on the node with API port " + api.port(),
          Duration.ofSeconds(60), api::hostsUp, up -> up.containsAll(List.of(hosts)));
    } catch (AssertionError e) {
      // say which part is behind: the hosts themselves, or this node's lists (its journal read side)
      StringBuilder why = new StringBuilder(e.getMessage());
      for (String h : hosts) why.append("\n  GET /api/hosts/").append(h).append(": ").append(api.get("/api/hosts/" + h));
      why.append("\n  GET /api/audit?limit=5: ").append(api.get("/api/audit?limit=5"));
      why.append("\n  GET /api/cluster: ").append(api.get("/api/cluster"));
      throw new AssertionError(why.toString(), e);
    }
  }

  /** Closes nodes, ignoring ones that failed to start (null). */
  static void closeAll(AvmNode... nodes) {
    for (AvmNode n : nodes) {
      if (n == null) continue;
      try {
        n.close();
      } catch (RuntimeException ignored) {
        // a node that fails to stop must not hide the test's own failure
      }
    }
  }
}
