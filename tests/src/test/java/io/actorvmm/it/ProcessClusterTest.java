package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real {@code ./avm node} processes on free ports sharing one H2 journal: node 1 (seed and
 * host p1), nodes 2 and 3 (hosts p2, p3). Every node shows all hosts up, a VM started through
 * node 3 is seen running through node 1, and after node 3 is killed with SIGKILL the split brain
 * resolver downs it and host p3 reads down through node 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  // the first ./avm may build the distribution
  private static final Duration FIRST_START = Duration.ofMinutes(5);

  /** One node process: its ports and its captured output. */
  private record NodeProcess(String name, Process process, int port, int apiPort, Path stdout, Path stderr) {
    String address() {
      return "pekko://avm@127.0.0.1:" + port;
    }

    String tail() {
      return "\n--- " + name + " stdout:\n" + tailOf(stdout) + "\n--- " + name + " stderr:\n" + tailOf(stderr);
    }

    private static String tailOf(Path p) {
      try {
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }
  }

  private final List<NodeProcess> nodes = new ArrayList<>();
  private final Thread reaper = new Thread(this::destroyAll, "avm-node-reaper");
  private Path dir;
  private Path avm;

  @BeforeAll
  void start() throws Exception {
    dir = TestNodes.tempDir("processes");
    avm = Repo.root().resolve("avm");
    // a test JVM that dies must not leave nodes behind
    Runtime.getRuntime().addShutdownHook(reaper);
    buildOnce();
    int seedPort = Ports.free();
    String seeds = "127.0.0.1:" + seedPort;
    // node 1 first: it opens the H2 file and serves it to the others
    nodes.add(launch("node1", seedPort, "seed,host", "p1", seeds));
    nodes.add(launch("node2", Ports.free(), "host", "p2", seeds));
    nodes.add(launch("node3", Ports.free(), "host", "p3", seeds));
  }

  @AfterAll
  void stop() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException ignored) {
      // already shutting down
    }
    TestNodes.deleteQuietly(dir);
  }

  private void destroyAll() {
    for (NodeProcess n : nodes) {
      n.process().descendants().forEach(ProcessHandle::destroyForcibly);
      n.process().destroyForcibly();
    }
    for (NodeProcess n : nodes) {
      try {
        n.process().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** ./avm builds the distribution when its sources are newer; do that once, before three nodes race to. */
  private void buildOnce() throws Exception {
    Path out = dir.resolve("version.out");
    Process p = new ProcessBuilder(avm.toString(), "--version").directory(Repo.root().toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(FIRST_START.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("./avm --version did not finish: " + Files.readString(out));
    }
    assertEquals(0, p.exitValue(), () -> "./avm --version failed: " + readQuietly(out));
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  /** Starts ./avm node and waits for its "node up" line. */
  private NodeProcess launch(String name, int port, String roles, String hostId, String seeds) throws IOException {
    int apiPort = Ports.free();
    Path stdout = dir.resolve(name + ".out");
    Path stderr = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(avm.toString(), "node", "--roles", roles, "--host-id", hostId,
        "--port", String.valueOf(port), "--api-port", String.valueOf(apiPort), "--seeds", seeds,
        "--data-dir", dir.resolve("data").toString())
        .directory(Repo.root().toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    pb.environment().put("AVM_DATA_DIR", dir.resolve("data").toString());
    pb.environment().put("AVM_HEAP", "512m");
    NodeProcess node = new NodeProcess(name, pb.start(), port, apiPort, stdout, stderr);
    nodes.add(node);
    try {
      Await.until(name + " prints 'node up'", FIRST_START, () -> {
        if (!node.process().isAlive()) {
          throw new IllegalStateException(name + " exited with " + node.process().exitValue());
        }
        return readQuietly(stdout).contains("node up: " + node.address());
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + node.tail(), e);
    } finally {
      nodes.remove(node);
    }
    assertTrue(readQuietly(stdout).contains("api=http://127.0.0.1:" + apiPort), node::tail);
    return node;
  }

  private static Cli cli(NodeProcess n) {
    return new Cli("127.0.0.1:" + n.apiPort(), "erin");
  }

  private static List<String> hostsUp(Cli cli) {
    Cli.Result r = cli.run("host", "list", "--output", "json");
    if (r.code() != 0) return List.of("exit " + r.code() + ": " + r.err().strip());
    List<String> up = new ArrayList<>();
    for (JsonNode h : r.json()) if (h.path("status").asText().equals("up")) up.add(h.path("hostId").asText());
    return up;
  }

  @Test
  @Order(1)
  void everyNodeShowsAllHostsUp() {
    for (NodeProcess n : nodes) {
      try {
        Await.until("p1, p2, p3 up through " + n.name(), WAIT, () -> hostsUp(cli(n)),
            up -> up.equals(List.of("p1", "p2", "p3")));
        JsonNode cluster = Await.until("3 members up through " + n.name(), WAIT,
            () -> cli(n).run("cluster", "show", "-o", "json").json(),
            j -> j.path("members").size() == 3 && Api.list(j.path("members")).stream()
                .allMatch(m -> m.path("status").asText().equals("Up")));
        assertEquals(nodes.get(0).address(), cluster.path("oldest").asText());
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + n.tail(), e);
      }
    }
    Cli.Result text = cli(nodes.get(1)).run("host", "list");
    assertEquals(0, text.code(), text::toString);
    assertTrue(text.out().lines().filter(l -> l.matches("p[123]\\s+up\\s.*")).count() == 3, text::toString);
  }

  @Test
  @Order(2)
  void aVmStartedThroughNode3RunsAsSeenThroughNode1() {
    Cli node3 = cli(nodes.get(2));
    Cli node1 = cli(nodes.get(0));
    Cli.Result created = node3.run("vm", "create", "proc-1", "--cpu", "2", "--memory", "1024", "--runtime", "simulated");
    assertEquals(0, created.code(), created::toString);
    Cli.Result started = node3.run("vm", "start", "proc-1");
    assertEquals(0, started.code(), started::toString);
    JsonNode vm = Await.until("proc-1 running through node 1", WAIT, () -> node1.run("vm", "show", "proc-1", "-o", "json"),
        r -> r.code() == 0 && r.json().path("phase").asText().equals("running")).json();
    assertTrue(List.of("p1", "p2", "p3").contains(vm.path("hostId").asText()), vm::toString);
    Cli.Result history = node1.run("audit", "history", "vm:proc-1");
    assertEquals(0, history.code(), history::toString);
    assertTrue(history.out().lines().anyMatch(l -> l.matches("\\S+\\s+vm:proc-1\\s+VmCreated\\s+erin")),
        history::toString);
  }

  @Test
  @Order(3)
  void killingNode3TakesP3DownThroughTheSplitBrainResolver() throws Exception {
    NodeProcess node3 = nodes.get(2);
    node3.process().destroyForcibly();
    assertTrue(node3.process().waitFor(10, TimeUnit.SECONDS), "node 3 is gone");
    Api node1 = new Api(nodes.get(0).apiPort());
    // unreachable after the failure detector's pause, downed after 7 s of stable membership
    JsonNode p3 = Await.until("host p3 down through node 1", Duration.ofSeconds(60),
        () -> node1.get("/api/hosts/p3").json(), j -> j.path("status").asText().equals("down"));
    assertTrue(p3.path("statusReason").asText().contains(node3.address()), p3::toString);
    Await.until("node 3 removed from the cluster", WAIT, () -> Api.list(node1.get("/api/cluster").ok().path("members"))
        .stream().noneMatch(m -> m.path("address").asText().equals(node3.address())));
    // the survivors keep going
    for (NodeProcess n : nodes.subList(0, 2)) {
      Await.until("p1 and p2 still up through " + n.name(), WAIT, () -> cli(n).run("host", "list", "-o", "json"),
          r -> r.code() == 0 && Api.list(r.json()).stream().filter(h -> h.path("status").asText().equals("up"))
              .map(h -> h.path("hostId").asText()).toList().equals(List.of("p1", "p2")));
    }
    Cli.Result shown = cli(nodes.get(1)).run("host", "show", "p3");
    assertEquals(0, shown.code(), shown::toString);
    assertTrue(shown.out().contains("down"), shown::toString);
  }

  @Test
  @Order(0)
  void aNodeWithABadOptionExitsWithCode2AndOneLine() throws Exception {
    Path err = dir.resolve("bad-node.err");
    Process p = new ProcessBuilder(avm.toString(), "node", "--simulated-state", "tape", "--data-dir",
        dir.resolve("bad").toString()).directory(Repo.root().toFile()).redirectError(err.toFile())
        .redirectOutput(dir.resolve("bad-node.out").toFile()).start();
    assertTrue(p.waitFor(FIRST_START.toSeconds(), TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    String message = Files.readString(err).strip();
    assertEquals("error: simulated-state must be memory or disk, not 'tape'", message);
    assertFalse(Files.exists(dir.resolve("bad")), "nothing written for a refused node");
  }
}
