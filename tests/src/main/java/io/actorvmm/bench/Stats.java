package io.actorvmm.bench;

import java.util.ArrayList;
import java.util.List;

/** Small statistics over measured durations. */
final class Stats {
  private Stats() {}

  /** The median of {@code xs} (NaN for none). */
  static double median(List<? extends Number> xs) {
    List<Double> s = new ArrayList<>(xs.size());
    for (Number x : xs) s.add(x.doubleValue());
    s.sort(null);
    int n = s.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
  }

  /** Nanoseconds as whole milliseconds. */
  static List<Long> millis(List<Long> nanos) {
    return nanos.stream().map(n -> n / 1_000_000).toList();
  }
}
