package io.actorvmm.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JIT compiler's share of a measurement, and warm-up until the compiler is quiet. A node runs
 * for hours; a measurement of a few seconds taken while the compiler still works through the node's
 * hot code (its compiler threads take CPU from the node on a small machine) measures the compiler.
 */
final class Jit {
  private Jit() {}

  private static final CompilationMXBean BEAN = ManagementFactory.getCompilationMXBean();

  /** A stopwatch of wall time and of the compiler's time since it was started. */
  static final class Watch {
    private final long jit0 = compileMillis();
    private final long t0 = System.nanoTime();

    /** Nanoseconds since the start. */
    long nanos() {
      return System.nanoTime() - t0;
    }

    /** The compiler's time (summed over its threads) as a fraction of the wall time since the start. */
    double share() {
      return (compileMillis() - jit0) / (nanos() / 1e6);
    }
  }

  /** One warm-up round; returns the compiler's share of it. */
  interface Round {
    double run(int index) throws Exception;
  }

  /** How the warm-up went: rounds run and the compiler's share of the last one. */
  record Warmup(int rounds, double lastShare, int maxRounds, int quietPercent) {
    String describe() {
      return String.format(java.util.Locale.ROOT, "%d rounds, until the JIT compiler's time in a round was below %d%% "
          + "of it (last round %.0f%%, at most %d rounds)", rounds, quietPercent, lastShare * 100, maxRounds);
    }
  }

  static Watch watch() {
    return new Watch();
  }

  /** Runs rounds until one's compiler share is below {@code quietPercent} % or {@code maxRounds} have run. */
  static Warmup warmUp(int maxRounds, int quietPercent, Round round) throws Exception {
    int n = 0;
    double last = Double.NaN;
    while (n < maxRounds) {
      last = round.run(n++);
      if (last * 100 < quietPercent) break;
    }
    return new Warmup(n, last, maxRounds, quietPercent);
  }

  private static long compileMillis() {
    if (BEAN == null || !BEAN.isCompilationTimeMonitoringSupported()) {
      throw new IllegalStateException("this JVM does not report its JIT compiler's time");
    }
    return BEAN.getTotalCompilationTime();
  }
}
