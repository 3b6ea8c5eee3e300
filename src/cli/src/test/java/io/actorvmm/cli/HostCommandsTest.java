package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.cli.Cli.Result;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostCommandsTest {
  private StubNode node;

  @BeforeEach
  void start() {
    node = new StubNode();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void listPrintsAlignedColumns() {
    node.ok("GET", "/api/hosts", List.of(
        Fixtures.host("h1", 4, 8192, List.of("web-1", "web-2")),
        Fixtures.host("h22", 0, 0, List.of())));

    Result r = Cli.run(node.address(), "host", "list");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err());
    assertEquals(List.of(
        "HOST  STATUS  SITE    CPU(used/total)  MEMORY(used/total MiB)  VMS",
        "h1    up      rack-a  4/16             8192/65536              2",
        "h22   up      rack-a  0/16             0/65536                 0"), r.out().lines().toList());
    StubNode.Request req = node.only();
    assertEquals("GET", req.method());
    assertEquals("/api/hosts", req.path());
    assertEquals("alice", req.user());
  }

  @Test
  void listAsJsonPrintsTheNodesJsonPrettyPrinted() throws Exception {
    List<?> hosts = List.of(Fixtures.host("h1", 4, 8192, List.of("web-1")));
    node.ok("GET", "/api/hosts", hosts);

    Result r = Cli.run(node.address(), "host", "list", "--output", "json");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(StubNode.tree(hosts), StubNode.MAPPER.readTree(r.out()));
    assertTrue(r.out().lines().count() > 10, "pretty-printed over many lines: " + r.out());
  }

  @Test
  void outputOptionWorksBeforeTheNounAndAfterIt() throws Exception {
    node.ok("GET", "/api/hosts", List.of());

    Result before = Cli.run("--output", "json", node.address(), "host", "list");
    Result between = Cli.run(node.address(), "host", "-o", "JSON", "list");

    assertEquals(0, before.exit(), before::toString);
    assertEquals("[ ]", before.out().strip());
    assertEquals(0, between.exit(), between::toString);
    assertEquals("[ ]", between.out().strip());
  }

  @Test
  void emptyListSaysSo() {
    node.ok("GET", "/api/hosts", List.of());

    Result r = Cli.run(node.address(), "host", "list");

    assertEquals(0, r.exit());
    assertEquals("no hosts", r.out().strip());
  }

  @Test
  void showPrintsKeyValueBlock() {
    node.ok("GET", "/api/hosts/h1", Fixtures.host("h1", 4, 8192, List.of("web-1", "web-2")));

    Result r = Cli.run(node.address(), "host", "show", "h1");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals("host:            h1", lines.get(0));
    assertTrue(lines.contains("capacity:        cpu 16, memory 65536 MiB, disk 1000 GiB, network 10000 Mbit"), r.out());
    assertTrue(lines.contains("used:            cpu 4, memory 8192 MiB, disk 40 GiB, network 200 Mbit"), r.out());
    assertTrue(lines.contains("runtimes:        kvm, docker"), r.out());
    assertTrue(lines.contains("vms:             web-1, web-2"), r.out());
    assertTrue(lines.contains("costs:           0.0001/cpu-second, 0.02/GiB stored, 0.05/GiB transferred"), r.out());
  }

  @Test
  void unknownHostIsExitTwoWithTheServersLineAndNoStackTrace() {
    node.error("GET", "/api/hosts/h9", 404, "no host 'h9'");

    Result r = Cli.run(node.address(), "host", "show", "h9");

    assertEquals(2, r.exit());
    assertEquals("", r.out());
    assertEquals(List.of("error: no host 'h9'"), r.err().lines().toList());
  }

  @Test
  void userOptionNamesTheCaller() {
    node.ok("GET", "/api/hosts", List.of());

    Result r = Cli.run(node.address(), "host", "list", "--user", "bob");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("bob", node.only().user());
  }
}
