package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.cli.Cli.Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exit codes and the one-line error contract. */
class FailureTest {
  private StubNode node;

  @BeforeEach
  void start() {
    node = new StubNode();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void unreachableNodeIsExitOneWithOneLine() throws IOException {
    int port = deadPort();

    Result r = Cli.run("127.0.0.1:" + port, "host", "list");

    assertEquals(1, r.exit());
    assertEquals("", r.out());
    assertEquals(List.of("error: cannot reach node at 127.0.0.1:" + port + " (connection refused)"),
        r.err().lines().toList());
  }

  @Test
  void verboseShowsTheStackTrace() throws IOException {
    Result r = Cli.run("127.0.0.1:" + deadPort(), "host", "list", "--verbose");

    assertEquals(1, r.exit());
    assertTrue(r.err().startsWith("error: cannot reach node at"), r.err());
    assertTrue(r.err().contains("\tat io.actorvmm.cli.NodeClient"), r.err());
    assertTrue(r.err().contains("Caused by: java.net.ConnectException"), r.err());
  }

  @Test
  void unavailableClusterIsExitOne() {
    node.error("GET", "/api/hosts", 503, "the cluster could not answer in time");

    Result r = Cli.run(node.address(), "host", "list");

    assertEquals(1, r.exit());
    assertEquals(List.of("error: the cluster could not answer in time"), r.err().lines().toList());
  }

  @Test
  void serverErrorWithoutOurBodyIsExitOneWithItsFirstLine() {
    node.answer("GET", "/api/vms", 500, "There was an internal server error.\nmore detail");
    node.answer("GET", "/api/apps", 502, "");

    Result plain = Cli.run(node.address(), "vm", "list");
    Result empty = Cli.run(node.address(), "app", "list");

    assertEquals(1, plain.exit());
    assertEquals("error: There was an internal server error.", plain.err().strip());
    assertEquals(1, empty.exit());
    assertEquals("error: node answered HTTP 502", empty.err().strip());
  }

  @Test
  void slowNodeTimesOutWithExitOne() {
    node.slow("GET", "/api/hosts", 3000, List.of());
    CliEnvironment impatient = Cli.env().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300));

    Result r = Cli.run(impatient, node.address(), "host", "list");

    assertEquals(1, r.exit());
    assertEquals("error: node at " + node.address() + " did not answer within 300 ms", r.err().strip());
  }

  @Test
  void answerThatIsNotJsonIsExitOne() {
    node.ok("GET", "/api/hosts", "<html>hello</html>");

    Result r = Cli.run(node.address(), "host", "list");

    assertEquals(1, r.exit());
    assertTrue(r.err().startsWith("error: the node's answer is not JSON"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void parseErrorsAreExitTwo() {
    Result unknownOption = Cli.run(node.address(), "host", "list", "--frobnicate");
    Result extraArgument = Cli.run(node.address(), "host", "show", "h1", "h2");
    Result badOutput = Cli.run(node.address(), "host", "list", "--output", "yaml");

    assertEquals(2, unknownOption.exit());
    assertTrue(unknownOption.err().startsWith("error: Unknown option: '--frobnicate'"), unknownOption.err());
    assertTrue(unknownOption.err().contains("Run 'avm host list --help' for usage."), unknownOption.err());
    assertEquals(2, extraArgument.exit());
    assertEquals(2, badOutput.exit());
    assertTrue(badOutput.err().contains("expected one of [TEXT, JSON]"), badOutput.err());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void mistypedNounIsExitTwoNotTakenForAnAddress() {
    Result r = Cli.run("hots", "list");

    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("error: unknown command 'hots'; commands: cluster, cluster-sharding, host, vm,"),
        r.err());
  }

  @Test
  void nounWithoutVerbIsExitTwo() {
    Result r = Cli.run(node.address(), "vm");

    assertEquals(2, r.exit());
    assertEquals("error: 'avm vm' needs a verb: list, show, create, start, stop, move. Run 'avm vm --help' for usage.",
        r.err().strip());
  }

  @Test
  void noCommandWithoutInputIsExitTwo() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = AvmCli.run(new String[0], new PrintWriter(out), new PrintWriter(err));

    assertEquals(2, exit);
    assertTrue(err.toString().startsWith("error: no command given"), err.toString());
  }

  @Test
  void helpIsExitZeroOnStdout() {
    Result r = Cli.run("--help");

    assertEquals(0, r.exit());
    assertEquals("", r.err());
    for (String noun : List.of("cluster", "cluster-sharding", "host", "vm", "app", "service", "audit")) {
      assertTrue(r.out().contains("\n  " + noun + " "), noun + " in " + r.out());
    }
    assertTrue(r.out().contains("AVM_ADDRESS"), r.out());
  }
}
