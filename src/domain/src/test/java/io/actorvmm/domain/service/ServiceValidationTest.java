package io.actorvmm.domain.service;

import static io.actorvmm.domain.service.Services.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.VmSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceValidationTest {

  /** One row: a service and every problem expected, in order. */
  record Case(String name, ServiceSpec spec, List<String> problems) {}

  private static final VmSpec BAD_VM = new VmSpec(0, 1024, 10, 100, " ", "img", true, 0);

  private static final List<Case> CASES = List.of(
      new Case("patent e-commerce service is valid", shop(), List.of()),
      new Case("no apps", service("shop"), List.of("a service needs at least one application")),
      new Case("invalid service name", service("Shop!", app("web")),
          List.of("service name 'Shop!' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")),
      new Case("missing service name", service(null, app("web")), List.of("service name is missing")),
      new Case("invalid app name", service("shop", app("Web")),
          List.of("app name 'Web' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")),
      new Case("duplicate app", service("shop", app("web"), app("db"), app("web")),
          List.of("app web is listed more than once")),
      new Case("replicas below one", service("shop", app("web", 0)), List.of("app web: replicas must be at least 1")),
      new Case("vm spec problems are prefixed", service("shop",
          new AppRequirement("web", "http", 1, BAD_VM, List.of())),
          List.of("app web: cpu must be at least 1", "app web: runtime type is missing")),
      new Case("vm spec missing", service("shop", new AppRequirement("web", "http", 1, null, List.of())),
          List.of("app web: vm spec is missing")),
      new Case("unknown dependency", service("shop", app("db"), app("payment", "dbx")),
          List.of("app payment starts after unknown app dbx")),
      new Case("depends on itself, reported once", service("shop", app("web", "web")),
          List.of("app web starts after itself")),
      new Case("distinct hosts names unknown app", new ServiceSpec("shop", List.of(app("web")),
          new ServiceRules(List.of("web", "api"))), List.of("distinct hosts rule names unknown app api")),
      new Case("cycle", service("shop", app("a", "c"), app("b", "a"), app("c", "b")),
          List.of("start order has a cycle: a -> b -> c -> a")),
      new Case("several problems at once", new ServiceSpec("shop",
          List.of(app("web", 0, "ghost"), app("db", "web"), app("web", "db")), new ServiceRules(List.of("cache"))),
          List.of("app web is listed more than once",
              "app web: replicas must be at least 1",
              "app web starts after unknown app ghost",
              "distinct hosts rule names unknown app cache",
              "start order has a cycle: db -> web -> db")));

  @Test
  void reportsEveryProblem() {
    for (Case c : CASES) {
      assertEquals(c.problems(), ServiceValidation.problems(c.spec()), c.name());
    }
  }
}
