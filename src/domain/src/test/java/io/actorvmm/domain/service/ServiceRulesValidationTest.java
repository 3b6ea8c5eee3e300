package io.actorvmm.domain.service;

import static io.actorvmm.domain.service.Services.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceRulesValidationTest {

  /** One row: rules on a service of web, db and cache, and every problem expected, in order. */
  record Case(String name, ServiceRules rules, List<String> problems) {}

  private static AutoscaleRule scale(String app, double upper, double lower, Duration window, int min, int max) {
    return new AutoscaleRule(app, upper, lower, window, min, max);
  }

  private static final Duration MIN = Duration.ofMinutes(1);

  private static final List<Case> CASES = List.of(
      new Case("every new rule valid", new ServiceRules(List.of("web"), List.of(List.of("web", "cache")),
          Map.of("cache", 2), 0, "pack:1,cost:2", List.of(scale("web", 0.8, 0.2, MIN, 1, 4))), List.of()),
      new Case("affinity names an unknown app", ServiceRules.NONE.withAffinity(List.of("web", "mail")),
          List.of("affinity group names unknown app mail")),
      new Case("affinity group of one", ServiceRules.NONE.withAffinity(List.of("web")),
          List.of("an affinity group needs at least two apps")),
      new Case("max per host of an unknown app", ServiceRules.NONE.withMaxPerHost("mail", 1),
          List.of("max per host names unknown app mail")),
      new Case("max per host of zero", ServiceRules.NONE.withMaxPerHost("web", 0),
          List.of("max per host of web must be at least 1")),
      new Case("negative max unavailable", ServiceRules.NONE.withMaxUnavailable(-1),
          List.of("max unavailable must not be negative")),
      new Case("unknown policy", ServiceRules.NONE.withPlacementPolicy("cheapest"),
          List.of("placement policy 'cheapest': unknown scorer cheapest; use pack, spread, cost or a weighted sum like pack:1,cost:2")),
      new Case("autoscale of an unknown app", ServiceRules.NONE.withAutoscale(scale("mail", 0.8, 0.2, MIN, 1, 2)),
          List.of("autoscale rule names unknown app mail")),
      new Case("autoscale min above max", ServiceRules.NONE.withAutoscale(scale("web", 0.8, 0.2, MIN, 3, 2)),
          List.of("autoscale web: min replicas 3 is above max replicas 2")),
      new Case("autoscale upper not above lower", ServiceRules.NONE.withAutoscale(scale("web", 0.5, 0.5, MIN, 1, 2)),
          List.of("autoscale web: upper activity 0.5 must be above lower activity 0.5")),
      new Case("autoscale zero window and negative min", ServiceRules.NONE.withAutoscale(
          scale("web", 0.9, 0.1, Duration.ZERO, -1, 2)),
          List.of("autoscale web: min replicas must not be negative", "autoscale web: window must be above zero")),
      new Case("two autoscale rules for one app", ServiceRules.NONE.withAutoscale(scale("web", 0.8, 0.2, MIN, 1, 2))
          .withAutoscale(scale("web", 0.7, 0.1, MIN, 1, 3)),
          List.of("autoscale web: the app has more than one autoscale rule")),
      new Case("max per host below replicas on distinct hosts is left alone",
          new ServiceRules(List.of("web")).withMaxPerHost("web", 1), List.of()));

  @Test
  void reportsEveryBadRuleInOneLine() {
    for (Case c : CASES) {
      ServiceSpec s = new ServiceSpec("shop", List.of(app("web", 2), app("db"), app("cache")), c.rules());
      assertEquals(c.problems(), ServiceValidation.problems(s), c.name());
    }
  }
}
