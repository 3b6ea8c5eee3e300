package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.cli.Cli.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InteractiveTest {
  private StubNode node;

  @BeforeEach
  void start() {
    node = new StubNode()
        .ok("GET", "/api/hosts", List.of(Fixtures.host("h1", 4, 8192, List.of("web-1"))))
        .ok("GET", "/api/vms", List.of(Fixtures.vm("web-1", "running", "h1")));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  @Test
  void runsEachLineAgainstTheSameNodeUntilExit() {
    Result r = Cli.interactive(Cli.env(), "host list\n\nvm list\nexit\nhost list\n", node.address());

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("GET /api/hosts", "GET /api/vms"),
        node.requests().stream().map(q -> q.method() + " " + q.path()).toList());
    assertEquals(4, count(r.out(), InteractiveSession.PROMPT), r.out());
    assertTrue(r.out().contains("avm> HOST  STATUS"), r.out());
    assertTrue(r.out().contains("h1    up      rack-a  4/16"), r.out());
    assertTrue(r.out().contains("avm> VM     PHASE    HOST"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void aFailingLineDoesNotEndTheSessionAndEofDoes() {
    Result r = Cli.interactive(Cli.env(), "vm show nope\nbogus\nhost list", node.address());

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of("GET /api/vms/nope", "GET /api/hosts"),
        node.requests().stream().map(q -> q.method() + " " + q.path()).toList());
    assertTrue(r.err().contains("error: stub has no route GET /api/vms/nope"), r.err());
    assertTrue(r.err().contains("error: unknown command 'bogus'"), r.err());
    assertTrue(r.out().contains("h1    up"), r.out());
  }

  @Test
  void sessionOptionsAndAvmAddressCarryOverToEveryLine() throws Exception {
    CliEnvironment env = Cli.env(Map.of("AVM_ADDRESS", node.address()));

    Result r = Cli.interactive(env, "host list\nquit\n", "--output", "json", "--user", "erin");

    assertEquals(0, r.exit(), r::toString);
    assertEquals("erin", node.only().user());
    String json = r.out().substring(r.out().indexOf("avm> ") + 5, r.out().lastIndexOf("avm> "));
    assertEquals(StubNode.tree(List.of(Fixtures.host("h1", 4, 8192, List.of("web-1")))),
        StubNode.MAPPER.readTree(json));
  }

  @Test
  void aLineMayOverrideTheOutputAndStripAvm() {
    Result r = Cli.interactive(Cli.env(), "avm host list --output json\n", node.address());

    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("\"hostId\" : \"h1\""), r.out());
  }

  @Test
  void unclosedQuoteIsReportedAndTheSessionGoesOn() {
    Result r = Cli.interactive(Cli.env(), "host show \"h1\nhost list\n", node.address());

    assertEquals(0, r.exit());
    assertTrue(r.err().contains("error: unclosed \" quote"), r.err());
    assertEquals(1, node.requests().size());
  }
}
