package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.api.model.AuditEntry;
import io.actorvmm.api.model.ReplayResult;
import io.actorvmm.cli.Cli.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditCommandsTest {
  private StubNode node;

  private static final List<AuditEntry> ENTRIES = List.of(
      new AuditEntry(1, "2026-11-21T10:42:00Z", "vm:web-1", "VmCreated", "alice",
          StubNode.MAPPER.createObjectNode().put("cpuCores", 2)),
      new AuditEntry(2, "2026-11-21T10:43:10Z", "vm:web-1", "VmPlaced", "alice",
          StubNode.MAPPER.createObjectNode().put("hostId", "h1")));

  @BeforeEach
  void start() {
    node = new StubNode();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void logPrintsTimeEntityEventWho() {
    node.ok("GET", "/api/audit", ENTRIES);

    Result r = Cli.run(node.address(), "audit", "log");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "TIME                  ENTITY    EVENT      WHO",
        "2026-11-21T10:42:00Z  vm:web-1  VmCreated  alice",
        "2026-11-21T10:43:10Z  vm:web-1  VmPlaced   alice"), r.out().lines().toList());
    assertEquals(null, node.only().rawQuery());
  }

  @Test
  void logSendsItsFilters() {
    node.ok("GET", "/api/audit", ENTRIES);

    Result r = Cli.run(node.address(), "audit", "log", "--since", "2026-11-21T10:42:00Z", "--entity", "vm:web-1",
        "--limit", "5");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(Map.of("since", "2026-11-21T10:42:00Z", "entity", "vm:web-1", "limit", "5"), node.only().query());
  }

  @ParameterizedTest
  @CsvSource({
      "2026-11-21T10:42:00Z,      2026-11-21T10:42:00Z",
      "2026-11-21T10:42:00,       2026-11-21T10:42:00Z",
      "2026-11-21T10:42,          2026-11-21T10:42:00Z",
      "2026-11-21T11:42:00+01:00, 2026-11-21T10:42:00Z",
      "10:42,                     2026-11-21T10:42:00Z",
      "9:05:30,                   2026-11-21T09:05:30Z",
      "2026-11-20,                2026-11-20T00:00:00Z"})
  void sinceAcceptsInstantsAndLocalFormsAsUtc(String given, String sent) {
    node.ok("GET", "/api/audit", List.of());

    Result r = Cli.run(node.address(), "audit", "log", "--since", given);

    assertEquals(0, r.exit(), r::toString);
    assertEquals(sent, node.only().query().get("since"));
  }

  @ParameterizedTest
  @CsvSource({"yesterday", "2026-13-01T00:00:00Z", "25:00", "10h42"})
  void badSinceIsExitTwoAndSendsNothing(String bad) {
    Result r = Cli.run(node.address(), "audit", "log", "--since", bad);

    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("error: bad time for --since: '" + bad + "'"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void badEntityOrLimitIsExitTwo() {
    Result badType = Cli.run(node.address(), "audit", "log", "--entity", "disk:d1");
    Result noColon = Cli.run(node.address(), "audit", "history", "web-1");
    Result zero = Cli.run(node.address(), "audit", "log", "--limit", "0");

    assertEquals(2, badType.exit());
    assertTrue(badType.err().startsWith("error: bad entity 'disk:d1'"), badType.err());
    assertEquals(2, noColon.exit());
    assertEquals(2, zero.exit());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void helpExplainsTheTimeForms() {
    Result r = Cli.run("audit", "log", "--help");

    assertEquals(0, r.exit());
    String help = r.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("(2026-11-21T10:42:00) is UTC"), r.out());
    assertTrue(help.contains("(10:42) is today in UTC"), r.out());
  }

  @Test
  void historyAsksForOneEntity() {
    node.ok("GET", "/api/audit/history/vm:web-1", ENTRIES);

    Result r = Cli.run(node.address(), "audit", "history", "vm:web-1");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("/api/audit/history/vm:web-1", node.only().path());
    assertEquals(3, r.out().lines().count());
  }

  @Test
  void replayRebuildsAtATime() throws Exception {
    ReplayResult replay = new ReplayResult("vm:web-1", "2026-11-21T10:45:00Z", 2,
        StubNode.MAPPER.readTree("{\"phase\": \"placed\", \"hostId\": \"h1\"}"));
    node.ok("GET", "/api/audit/replay/vm:web-1", replay);

    Result r = Cli.run(node.address(), "audit", "replay", "vm:web-1", "--at", "10:45");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(Map.of("at", "2026-11-21T10:45:00Z"), node.only().query());
    assertEquals(List.of(
        "entity:  vm:web-1",
        "at:      2026-11-21T10:45:00Z",
        "events:  2",
        "state:",
        "  {",
        "    \"phase\" : \"placed\",",
        "    \"hostId\" : \"h1\"",
        "  }"), r.out().lines().toList());
  }

  @Test
  void replayNeedsAt() {
    Result r = Cli.run(node.address(), "audit", "replay", "vm:web-1");

    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--at"), r.err());
    assertTrue(node.requests().isEmpty());
  }

  @Test
  void replayAsJsonPrintsTheAnswer() throws Exception {
    ReplayResult replay = new ReplayResult("vm:web-1", "2026-11-21T10:45:00Z", 0, null);
    node.ok("GET", "/api/audit/replay/vm:web-1", replay);

    Result r = Cli.run(node.address(), "--output", "json", "audit", "replay", "vm:web-1", "--at",
        "2026-11-21T10:45:00Z");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(StubNode.tree(replay), StubNode.MAPPER.readTree(r.out()));
  }
}
