package io.actorvmm.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final AutoscaleRule RULE = new AutoscaleRule("web", 0.8, 0.2, Duration.ofMinutes(5), 1, 4);

  /** Samples one minute apart ending now; the first value is the oldest. */
  private static List<ActivitySample> perMinute(double... values) {
    List<ActivitySample> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(new ActivitySample(NOW.minus(Duration.ofMinutes(values.length - 1 - i)), values[i]));
    }
    return out;
  }

  /** One row: samples, replicas now, the expected step and reason. */
  record Case(String name, List<ActivitySample> samples, int replicas, int delta, String reason) {}

  private static final List<Case> CASES = List.of(
      new Case("above for the whole window", perMinute(0.9, 0.85, 0.95, 0.9, 0.9, 0.99), 2, 1,
          "web stayed above 0.80 for 5 min (lowest 0.85): 2 -> 3 replicas"),
      new Case("above for less than the window", perMinute(0.9, 0.9, 0.9, 0.9, 0.9), 2, 0,
          "web has no activity sample from 5 min ago or earlier yet"),
      new Case("above lately but not at the window's start", perMinute(0.5, 0.9, 0.9, 0.9, 0.9, 0.9), 2, 0,
          "web did not stay above 0.80 or below 0.20 for 5 min (0.50..0.90)"),
      new Case("one dip inside the window", perMinute(0.9, 0.9, 0.7, 0.9, 0.9, 0.9), 2, 0,
          "web did not stay above 0.80 or below 0.20 for 5 min (0.70..0.90)"),
      new Case("above but at the maximum", perMinute(0.9, 0.9, 0.9, 0.9, 0.9, 0.9), 4, 0,
          "web stayed above 0.80 for 5 min (lowest 0.90) but is at its maximum of 4 replicas"),
      new Case("below for the whole window", perMinute(0.1, 0.1, 0.05, 0.1, 0.1, 0.1), 3, -1,
          "web stayed below 0.20 for 5 min (highest 0.10): 3 -> 2 replicas"),
      new Case("below but at the minimum", perMinute(0.1, 0.1, 0.1, 0.1, 0.1, 0.1), 1, 0,
          "web stayed below 0.20 for 5 min (highest 0.10) but is at its minimum of 1 replica"),
      new Case("between the bounds", perMinute(0.5, 0.5, 0.5, 0.5, 0.5, 0.5), 2, 0,
          "web did not stay above 0.80 or below 0.20 for 5 min (0.50..0.50)"),
      new Case("no samples", List.of(), 2, 0, "web has no activity sample from 5 min ago or earlier yet"),
      new Case("below the minimum count", List.of(), 0, 1, "web has 0 of at least 1 replicas: one more"),
      new Case("above the maximum count", perMinute(0.9, 0.9, 0.9, 0.9, 0.9, 0.9), 6, -1,
          "web has 6 of at most 4 replicas: one fewer"),
      new Case("an old sample before the window anchors it", List.of(
          new ActivitySample(NOW.minus(Duration.ofMinutes(30)), 0.9), new ActivitySample(NOW, 0.95)), 2, 1,
          "web stayed above 0.80 for 5 min (lowest 0.90): 2 -> 3 replicas"),
      new Case("samples after now are ignored", List.of(
          new ActivitySample(NOW.minus(Duration.ofMinutes(6)), 0.9), new ActivitySample(NOW.plusSeconds(10), 0.1)), 2, 1,
          "web stayed above 0.80 for 5 min (lowest 0.90): 2 -> 3 replicas"));

  @Test
  void stepsOnlyWhenActivityStaysOutOfBoundsForTheWindow() {
    for (Case c : CASES) {
      ScaleStep s = Autoscaler.decide(RULE, c.samples(), c.replicas(), NOW);
      assertEquals(c.delta(), s.delta(), c.name());
      assertEquals(c.reason(), s.reason(), c.name());
      assertEquals(c.delta() != 0, s.changes(), c.name());
    }
  }

  @Test
  void unorderedSamplesGiveTheSameStep() {
    List<ActivitySample> s = new ArrayList<>(perMinute(0.9, 0.85, 0.95, 0.9, 0.9, 0.99));
    java.util.Collections.reverse(s);
    assertEquals(1, Autoscaler.decide(RULE, s, 2, NOW).delta());
  }
}
