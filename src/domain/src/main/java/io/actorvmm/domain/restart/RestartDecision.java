package io.actorvmm.domain.restart;

import java.time.Duration;

/**
 * What to do about a VM found not running on its host, and why: restart it in place after
 * {@code delay} (attempt {@code attempt} of {@code of}; attempt 0 for a restart that does not count,
 * after its node restarted), relocate it to another host, record it stopped, or record it failed.
 */
public record RestartDecision(Action action, int attempt, int of, Duration delay, String why) {

  /** The four outcomes. */
  public enum Action { RESTART, RELOCATE, STOP, FAIL }

  /** True for a restart in place that counts against the policy's restarts. */
  public boolean counted() {
    return action == Action.RESTART && attempt > 0;
  }

  /** Restart in place. */
  static RestartDecision restart(int attempt, int of, Duration delay, String why) {
    return new RestartDecision(Action.RESTART, attempt, of, delay, why);
  }

  /** Another outcome than a restart in place. */
  static RestartDecision of(Action action, String why) {
    return new RestartDecision(action, 0, 0, Duration.ZERO, why);
  }
}
