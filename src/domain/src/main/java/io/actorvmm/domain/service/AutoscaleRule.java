package io.actorvmm.domain.service;

import java.time.Duration;

/**
 * When the mean activity of an application's replicas stays above {@code upperActivity} for
 * {@code window}, one more replica (up to {@code maxReplicas}); when it stays below
 * {@code lowerActivity} for the window, one fewer (down to {@code minReplicas}). Activity is the
 * statistic the cluster samples per replica (e.g. CPU use 0..1); a null window means five minutes.
 */
public record AutoscaleRule(String app, double upperActivity, double lowerActivity, Duration window, int minReplicas,
                            int maxReplicas) {

  /** The window of a rule that names none. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  /** Fills the default window. */
  public AutoscaleRule {
    window = window == null ? DEFAULT_WINDOW : window;
  }
}
