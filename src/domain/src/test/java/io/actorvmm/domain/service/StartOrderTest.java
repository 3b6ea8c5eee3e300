package io.actorvmm.domain.service;

import static io.actorvmm.domain.service.Services.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartOrderTest {

  /** One row: a service and its expected start levels. */
  record Case(String name, ServiceSpec spec, List<List<String>> levels) {}

  private static final List<Case> CASES = List.of(
      new Case("patent e-commerce service", shop(), List.of(List.of("db", "web"), List.of("payment"))),
      new Case("single app", service("s", app("a")), List.of(List.of("a"))),
      new Case("chain", service("s", app("c", "b"), app("b", "a"), app("a")),
          List.of(List.of("a"), List.of("b"), List.of("c"))),
      new Case("diamond, levels sorted by name", service("s", app("top", "right", "left"), app("right", "base"),
          app("left", "base"), app("base")), List.of(List.of("base"), List.of("left", "right"), List.of("top"))),
      new Case("level is the longest path", service("s", app("d", "a", "c"), app("c", "b"), app("b", "a"), app("a")),
          List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d"))),
      new Case("independent apps share level 0", service("s", app("z"), app("m"), app("a")),
          List.of(List.of("a", "m", "z"))),
      new Case("unknown dependency is left to validation", service("s", app("a", "ghost")), List.of(List.of("a"))),
      new Case("no apps", service("s"), List.of()));

  @Test
  void levelsFollowDependencies() {
    for (Case c : CASES) {
      assertEquals(c.levels(), StartOrder.levels(c.spec()), c.name());
    }
  }

  @Test
  void stopOrderIsTheReverse() {
    assertEquals(List.of(List.of("payment"), List.of("db", "web")), StartOrder.stopLevels(shop()));
    assertEquals(List.of(List.of("c"), List.of("b"), List.of("a")),
        StartOrder.stopLevels(service("s", app("c", "b"), app("b", "a"), app("a"))));
  }

  /** One row: a service with a cycle and the message naming it in start order. */
  record Cycle(String name, ServiceSpec spec, String message) {}

  private static final List<Cycle> CYCLES = List.of(
      // b after a, c after b, a after c: start order would be a, b, c, a
      new Cycle("three apps", service("s", app("a", "c"), app("b", "a"), app("c", "b")),
          "start order has a cycle: a -> b -> c -> a"),
      new Cycle("two apps", service("s", app("x", "y"), app("y", "x")), "start order has a cycle: x -> y -> x"),
      new Cycle("self", service("s", app("a", "a")), "start order has a cycle: a -> a"),
      new Cycle("cycle behind a valid part names only the loop",
          service("s", app("base"), app("p", "base", "r"), app("q", "p"), app("r", "q"), app("tail", "r")),
          "start order has a cycle: p -> q -> r -> p"));

  @Test
  void cyclesAreNamed() {
    for (Cycle c : CYCLES) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StartOrder.levels(c.spec()), c.name());
      assertEquals(c.message(), e.getMessage(), c.name());
      assertThrows(IllegalArgumentException.class, () -> StartOrder.stopLevels(c.spec()), c.name());
    }
  }
}
