package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.cli.Cli.Result;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the CLI sends its requests, and who it says it is. */
class AddressTest {
  private StubNode node;

  @BeforeEach
  void start() {
    node = new StubNode().ok("GET", "/api/hosts", List.of());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void avmAddressIsUsedWithoutAPositional() {
    Result r = Cli.run(Cli.env(Map.of("USER", "alice", "AVM_ADDRESS", node.address())), "host", "list");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("/api/hosts", node.only().path());
  }

  @Test
  void positionalWinsOverAvmAddress() throws IOException {
    String dead = "127.0.0.1:" + FailureTest.deadPort();

    Result r = Cli.run(Cli.env(Map.of("AVM_ADDRESS", dead)), node.address(), "host", "list");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(1, node.requests().size());
  }

  @Test
  void positionalMayFollowOptions() {
    Result r = Cli.run("--user", "carol", node.address(), "host", "list");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("carol", node.only().user());
  }

  @Test
  void unreachableAvmAddressIsNamedInTheError() throws IOException {
    String dead = "127.0.0.1:" + FailureTest.deadPort();

    Result r = Cli.run(Cli.env(Map.of("AVM_ADDRESS", dead)), "host", "list");

    assertEquals(1, r.exit());
    assertEquals("error: cannot reach node at " + dead + " (connection refused)", r.err().strip());
  }

  @Test
  void badAvmAddressIsExitTwo() {
    Result r = Cli.run(Cli.env(Map.of("AVM_ADDRESS", "not an address")), "host", "list");

    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("error: AVM_ADDRESS 'not an address' is not a node address"), r.err());
  }

  @Test
  void badPortIsExitTwo() {
    Result r = Cli.run("127.0.0.1:99999", "host", "list");

    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no valid port"), r.err());
  }

  @Test
  void defaultIsLocalhost9110() {
    CliEnvironment none = Cli.env(Map.of());

    assertEquals(new NodeAddress("127.0.0.1", 9110), NodeAddress.resolve(null, null, none));
    assertEquals(new NodeAddress("node-2.lan", 9111),
        NodeAddress.resolve(null, null, Cli.env(Map.of("AVM_ADDRESS", "node-2.lan:9111"))));
    assertEquals(new NodeAddress("[::1]", 9110), NodeAddress.resolve("[::1]:9110", "10.0.0.1:1", none));
    assertEquals(new NodeAddress("10.0.0.1", 1), NodeAddress.resolve(null, "10.0.0.1:1", none));
    assertThrows(CliException.class, () -> NodeAddress.parse("host-without-port", "address"));
  }

  @Test
  void userComesFromUserVariableElseTheJvm() {
    Cli.run(Cli.env(Map.of("USER", "dave")), node.address(), "host", "list");
    Cli.run(Cli.env(Map.of()), node.address(), "host", "list");

    assertEquals("dave", node.requests().get(0).user());
    assertEquals(System.getProperty("user.name"), node.requests().get(1).user());
  }
}
