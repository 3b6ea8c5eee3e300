package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.cli.Cli.Result;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AppCommandsTest {
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
  void listShowsStatusAndRunningReplicas() {
    node.ok("GET", "/api/apps", List.of(Fixtures.app()));

    Result r = Cli.run(node.address(), "app", "list");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(List.of(
        "APP  KIND   STATUS    REPLICAS(running/wanted)  SERVICES",
        "web  nginx  degraded  1/2                       ecommerce"), r.out().lines().toList());
  }

  @Test
  void showListsEachReplicasVm() {
    node.ok("GET", "/api/apps/web", Fixtures.app());

    Result r = Cli.run(node.address(), "app", "show", "web");

    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals("app:       web", lines.get(0));
    assertTrue(lines.contains("replicas:  1 of 2 running"), r.out());
    assertTrue(lines.contains("VM     PHASE    HOST"), r.out());
    assertTrue(lines.contains("web-2  booting  h2"), r.out());
    assertEquals("/api/apps/web", node.only().path());
  }

  @Test
  void showAsJsonPrintsTheAnswer() throws Exception {
    node.ok("GET", "/api/apps/web", Fixtures.app());

    Result r = Cli.run(node.address(), "app", "show", "web", "--output=json");

    assertEquals(0, r.exit(), r::toString);
    assertEquals(StubNode.tree(Fixtures.app()), StubNode.MAPPER.readTree(r.out()));
  }
}
