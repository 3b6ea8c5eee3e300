package io.actorvmm.domain.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.restart.RestartDecision.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final String WHAT = "vm db-1 was not running on h1 after its node restarted";

  private static Instant ago(long seconds) {
    return NOW.minusSeconds(seconds);
  }

  /** One row: a policy, how the VM went, its history, whether it may relocate, and the expected outcome. */
  record Case(String name, RestartPolicy policy, NotRunning cause, List<Instant> history, Instant relocatedAt,
              boolean canRelocate, Action action, int attempt, Duration delay, String why) {}

  private static final RestartPolicy ALWAYS = RestartPolicy.of("always", null, null, false);
  private static final RestartPolicy ON_FAILURE = RestartPolicy.of(null, null, null, false);
  private static final RestartPolicy NEVER = RestartPolicy.of("never", null, null, true);

  private static final List<Case> CASES = List.of(
      new Case("a node restart is restarted at once and not counted", ALWAYS, NotRunning.NODE_RESTARTED,
          List.of(ago(60), ago(40), ago(20)), null, true, Action.RESTART, 0, Duration.ZERO,
          WHAT + "; restarted in place (a restart of its node does not count against its restarts)"),
      new Case("never does not restart after a node restart either", NEVER, NotRunning.NODE_RESTARTED, List.of(),
          null, true, Action.FAIL, 0, Duration.ZERO, WHAT + "; restart policy never does not restart it"),
      new Case("first restart is at once", ALWAYS, NotRunning.MISSING, List.of(), null, true, Action.RESTART, 1,
          Duration.ZERO, WHAT + "; restarted in place (restart 1 of 3)"),
      new Case("second restart waits the back-off", ALWAYS, NotRunning.CRASHED, List.of(ago(30)), null, true,
          Action.RESTART, 2, Duration.ofSeconds(2), WHAT + "; restarted in place (restart 2 of 3, after 2 s)"),
      new Case("third restart waits twice as long", ALWAYS, NotRunning.CRASHED, List.of(ago(30), ago(20)), null, true,
          Action.RESTART, 3, Duration.ofSeconds(4), WHAT + "; restarted in place (restart 3 of 3, after 4 s)"),
      new Case("restarts outside the window do not count", ALWAYS, NotRunning.CRASHED,
          List.of(ago(3600), ago(1800), ago(900)), null, true, Action.RESTART, 1, Duration.ZERO,
          WHAT + "; restarted in place (restart 1 of 3)"),
      new Case("restarts used up: relocate", ALWAYS, NotRunning.CRASHED, List.of(ago(60), ago(40), ago(20)), null,
          true, Action.RELOCATE, 0, Duration.ZERO,
          WHAT + "; restarted 3 times within 10 min: relocating to another host"),
      new Case("restarts used up and relocated already: fail", ALWAYS, NotRunning.CRASHED,
          List.of(ago(60), ago(40), ago(20)), ago(100), true, Action.FAIL, 0, Duration.ZERO,
          WHAT + "; restarted 3 times within 10 min and already relocated within 10 min"),
      new Case("restarts used up, data cannot follow: fail", ALWAYS, NotRunning.CRASHED,
          List.of(ago(60), ago(40), ago(20)), null, false, Action.FAIL, 0, Duration.ZERO,
          WHAT + "; restarted 3 times within 10 min and it cannot relocate: its data lives only on h1"),
      new Case("always restarts a VM that stopped by itself", ALWAYS, NotRunning.STOPPED_BY_ITSELF, List.of(), null,
          true, Action.RESTART, 1, Duration.ZERO, WHAT + "; restarted in place (restart 1 of 3)"),
      new Case("on-failure leaves a clean stop stopped", ON_FAILURE, NotRunning.STOPPED_BY_ITSELF, List.of(), null,
          true, Action.STOP, 0, Duration.ZERO,
          WHAT + "; restart policy on-failure leaves a VM that stopped by itself stopped"),
      new Case("on-failure restarts a crash", ON_FAILURE, NotRunning.CRASHED, List.of(), null, true, Action.RESTART,
          1, Duration.ZERO, WHAT + "; restarted in place (restart 1 of 3)"),
      new Case("never fails a crash", NEVER, NotRunning.CRASHED, List.of(), null, true, Action.FAIL, 0,
          Duration.ZERO, WHAT + "; restart policy never does not restart it"),
      new Case("never stops a clean stop", NEVER, NotRunning.STOPPED_BY_ITSELF, List.of(), null, true, Action.STOP, 0,
          Duration.ZERO, WHAT + "; restart policy never leaves it stopped"),
      new Case("no restarts allowed goes straight to relocation", RestartPolicy.of("always", 0, null, false),
          NotRunning.MISSING, List.of(), null, true, Action.RELOCATE, 0, Duration.ZERO,
          WHAT + "; restart policy allows no restart in place: relocating to another host"));

  @Test
  void decisionsFollowThePolicy() {
    for (Case c : CASES) {
      RestartDecision d = c.policy().decide(c.cause(), WHAT, c.history(), c.relocatedAt(), c.canRelocate(),
          "its data lives only on h1", NOW);
      assertEquals(c.action(), d.action(), c.name());
      assertEquals(c.attempt(), d.attempt(), c.name());
      assertEquals(c.delay(), d.delay(), c.name());
      assertEquals(c.why(), d.why(), c.name());
    }
  }

  @Test
  void backOffDoublesUpToItsCeiling() {
    RestartPolicy p = RestartPolicy.of("always", 100, Duration.ofDays(1), false);
    assertEquals(Duration.ZERO, p.delayBefore(1));
    assertEquals(Duration.ofSeconds(2), p.delayBefore(2));
    assertEquals(Duration.ofSeconds(8), p.delayBefore(4));
    assertEquals(RestartPolicy.MAX_BACKOFF, p.delayBefore(60));
  }

  @Test
  void defaultsDependOnWhetherTheVmServesAnApplication() {
    assertEquals(RestartMode.ALWAYS, RestartPolicy.of(null, null, null, true).mode());
    assertEquals(RestartMode.ON_FAILURE, RestartPolicy.of(null, null, null, false).mode());
    RestartPolicy d = RestartPolicy.of(null, null, null, true);
    assertEquals(3, d.maxRestarts());
    assertEquals(Duration.ofMinutes(10), d.window());
  }

  /** One row of bad input and the one-line message naming the field and the rule. */
  record Bad(String restart, Integer max, Duration window, String message) {}

  @Test
  void badFieldsAreNamedWithTheirRule() {
    List<Bad> bad = List.of(
        new Bad("sometimes", null, null, "restart must be always, on-failure or never, not 'sometimes'"),
        new Bad(null, -1, null, "maxRestarts must be between 0 and 100"),
        new Bad(null, 101, null, "maxRestarts must be between 0 and 100"),
        new Bad(null, null, Duration.ZERO, "restartWindow must be above zero and at most 7 days"),
        new Bad(null, null, Duration.ofSeconds(-5), "restartWindow must be above zero and at most 7 days"),
        new Bad(null, null, Duration.ofDays(8), "restartWindow must be above zero and at most 7 days"));
    for (Bad b : bad) {
      assertEquals(List.of(b.message()), RestartPolicy.problems(b.restart(), b.max(), b.window()), b.message());
    }
    assertTrue(RestartPolicy.problems("on-failure", 0, Duration.ofDays(7)).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> RestartPolicy.of("sometimes", null, null, true));
    String long1 = "x".repeat(1000);
    assertEquals("restart must be always, on-failure or never, not '" + "x".repeat(40) + "...'",
        RestartPolicy.problems(long1, null, null).get(0));
  }
}
