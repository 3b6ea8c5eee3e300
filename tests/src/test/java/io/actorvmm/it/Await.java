package io.actorvmm.it;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling with a deadline: read sides and clusters converge, so tests wait for a condition, never a fixed time. */
final class Await {
  private static final long PAUSE_MS = 100;

  private Await() {}

  /**
   * Calls {@code probe} until {@code done} accepts its value, and returns that value; fails with
   * {@code what} and the last value (or the last exception) when {@code timeout} passes first.
   */
  static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    Throwable lastError = null;
    while (true) {
      try {
        last = probe.get();
        lastError = null;
        if (done.test(last)) return last;
      } catch (RuntimeException | AssertionError e) {
        lastError = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError failure = new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for "
            + what + "; last " + (lastError != null ? "error: " + lastError : "value: " + last));
        if (lastError != null) failure.initCause(lastError);
        throw failure;
      }
      try {
        Thread.sleep(PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /** Waits until {@code condition} holds. */
  static void until(String what, Duration timeout, Supplier<Boolean> condition) {
    until(what, timeout, condition, Boolean.TRUE::equals);
  }
}
