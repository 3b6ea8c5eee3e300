package io.actorvmm.domain.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A VM's restart policy: its {@link RestartMode}, at most {@code maxRestarts} restarts in place within
 * {@code window}, spaced by an exponential back-off (none before the first restart, then
 * {@code backoff}, twice that, ... at most {@link #MAX_BACKOFF}); once they are used up the VM is
 * relocated to another host once (when its data can follow it), then recorded failed with the reason.
 * Modelled on Proxmox HA's max_restart / max_relocate and kubelet's crash back-off.
 */
public record RestartPolicy(RestartMode mode, int maxRestarts, Duration window, Duration backoff) {

  /** Restarts in place allowed within the window unless the VM says otherwise. */
  public static final int DEFAULT_MAX_RESTARTS = 3;
  /** The window restarts are counted in unless the VM says otherwise. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
  /** The pause before the second restart in a window; it doubles for each later one. */
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(2);
  /** The longest pause between two restarts. */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  /** The most restarts a VM may ask for within its window. */
  public static final int MAX_RESTARTS_LIMIT = 100;
  /** The longest window a VM may ask for. */
  public static final Duration MAX_WINDOW = Duration.ofDays(7);

  /** A VM's policy from its spec's fields, any of them null for the default; {@code serviceVm} chooses the default mode. */
  public static RestartPolicy of(String restart, Integer maxRestarts, Duration window, boolean serviceVm) {
    RestartMode mode = restart == null ? (serviceVm ? RestartMode.ALWAYS : RestartMode.ON_FAILURE)
        : RestartMode.parse(restart);
    if (mode == null) throw new IllegalArgumentException(problems(restart, maxRestarts, window).get(0));
    return new RestartPolicy(mode, maxRestarts == null ? DEFAULT_MAX_RESTARTS : maxRestarts,
        window == null ? DEFAULT_WINDOW : window, DEFAULT_BACKOFF);
  }

  /** What is wrong with these spec fields, one line each naming the field and the rule; empty when valid. */
  public static List<String> problems(String restart, Integer maxRestarts, Duration window) {
    List<String> out = new ArrayList<>();
    if (restart != null && RestartMode.parse(restart) == null) {
      out.add("restart must be " + RestartMode.names() + ", not '" + clip(restart) + "'");
    }
    if (maxRestarts != null && (maxRestarts < 0 || maxRestarts > MAX_RESTARTS_LIMIT)) {
      out.add("maxRestarts must be between 0 and " + MAX_RESTARTS_LIMIT);
    }
    if (window != null && (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0)) {
      out.add("restartWindow must be above zero and at most " + MAX_WINDOW.toDays() + " days");
    }
    return out;
  }

  private static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The restarts of {@code history} that count now: those within the window before {@code now}. */
  public int restartsWithin(List<Instant> history, Instant now) {
    Instant from = now.minus(window);
    int n = 0;
    for (Instant t : history) {
      if (t.isAfter(from)) n++;
    }
    return n;
  }

  /** The pause before restart number {@code attempt} (1-based) of a window. */
  public Duration delayBefore(int attempt) {
    if (attempt <= 1) return Duration.ZERO;
    Duration d = backoff;
    for (int i = 2; i < attempt && d.compareTo(MAX_BACKOFF) < 0; i++) d = d.multipliedBy(2);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /**
   * What to do about a VM that does not run on {@code host} although it should. {@code what} says how
   * it went ("vm db-1 was not running on h1 after its node restarted"); {@code history} are the times of
   * its earlier restarts in place; {@code relocatedAt} when it was last relocated by this policy (null:
   * never); {@code canRelocate} false with {@code whyNot} when its data cannot follow it elsewhere.
   */
  public RestartDecision decide(NotRunning cause, String what, List<Instant> history, Instant relocatedAt,
                                boolean canRelocate, String whyNot, Instant now) {
    if (mode == RestartMode.NEVER) {
      return cause == NotRunning.STOPPED_BY_ITSELF
          ? RestartDecision.of(RestartDecision.Action.STOP, what + "; restart policy never leaves it stopped")
          : RestartDecision.of(RestartDecision.Action.FAIL, what + "; restart policy never does not restart it");
    }
    if (cause == NotRunning.NODE_RESTARTED) {
      return RestartDecision.restart(0, maxRestarts, Duration.ZERO, what + "; restarted in place (a restart of its "
          + "node does not count against its restarts)");
    }
    if (mode == RestartMode.ON_FAILURE && cause == NotRunning.STOPPED_BY_ITSELF) {
      return RestartDecision.of(RestartDecision.Action.STOP, what + "; restart policy on-failure leaves a VM that "
          + "stopped by itself stopped");
    }
    int done = restartsWithin(history, now);
    if (done < maxRestarts) {
      int attempt = done + 1;
      Duration delay = delayBefore(attempt);
      return RestartDecision.restart(attempt, maxRestarts, delay, what + "; restarted in place (restart " + attempt
          + " of " + maxRestarts + (delay.isZero() ? "" : ", after " + text(delay)) + ")");
    }
    String spent = maxRestarts == 0 ? "restart policy allows no restart in place"
        : "restarted " + done + (done == 1 ? " time" : " times") + " within " + text(window);
    boolean relocatedRecently = relocatedAt != null && relocatedAt.isAfter(now.minus(window));
    if (!canRelocate) {
      return RestartDecision.of(RestartDecision.Action.FAIL, what + "; " + spent + " and it cannot relocate: " + whyNot);
    }
    if (relocatedRecently) {
      return RestartDecision.of(RestartDecision.Action.FAIL, what + "; " + spent + " and already relocated within "
          + text(window));
    }
    return RestartDecision.of(RestartDecision.Action.RELOCATE, what + "; " + spent + ": relocating to another host");
  }

  /** A duration as people write it: "10 min", "2 s", "1 h 30 min". */
  public static String text(Duration d) {
    long s = d.toSeconds();
    if (s < 60) return s + " s";
    if (s < 3600) return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    long h = s / 3600;
    long m = (s % 3600) / 60;
    return m == 0 ? h + " h" : h + " h " + m + " min";
  }
}
