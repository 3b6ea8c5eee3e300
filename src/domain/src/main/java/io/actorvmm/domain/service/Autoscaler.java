package io.actorvmm.domain.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Decides one autoscaling step from an application's activity samples, as a pure function.
 *
 * <p>Activity "stays above" the upper bound for the window when there is a sample at or before
 * {@code now - window} (so the condition is known for the whole window) and that sample and every
 * later one up to {@code now} are above the bound; "stays below" likewise. Samples after {@code now}
 * are ignored. A count outside min..max is first brought back into range, one step at a time.
 */
public final class Autoscaler {

  private Autoscaler() {}

  /** The step for {@code rule}'s application with {@code replicas} wanted now. */
  public static ScaleStep decide(AutoscaleRule rule, List<ActivitySample> samples, int replicas, Instant now) {
    String app = rule.app();
    if (replicas < rule.minReplicas()) {
      return new ScaleStep(1, app + " has " + replicas + " of at least " + rule.minReplicas() + " replicas: one more");
    }
    if (replicas > rule.maxReplicas()) {
      return new ScaleStep(-1, app + " has " + replicas + " of at most " + rule.maxReplicas() + " replicas: one fewer");
    }
    List<ActivitySample> window = window(samples, now.minus(rule.window()), now);
    String span = text(rule.window());
    if (window.isEmpty()) {
      return new ScaleStep(0, app + " has no activity sample from " + span + " ago or earlier yet");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ActivitySample s : window) {
      min = Math.min(min, s.activity());
      max = Math.max(max, s.activity());
    }
    if (min > rule.upperActivity()) {
      String stayed = app + " stayed above " + num(rule.upperActivity()) + " for " + span + " (lowest " + num(min) + ")";
      if (replicas >= rule.maxReplicas()) {
        return new ScaleStep(0, stayed + " but is at its maximum of " + replicas(rule.maxReplicas()));
      }
      return new ScaleStep(1, stayed + ": " + replicas + " -> " + (replicas + 1) + " replicas");
    }
    if (max < rule.lowerActivity()) {
      String stayed = app + " stayed below " + num(rule.lowerActivity()) + " for " + span + " (highest " + num(max) + ")";
      if (replicas <= rule.minReplicas()) {
        return new ScaleStep(0, stayed + " but is at its minimum of " + replicas(rule.minReplicas()));
      }
      return new ScaleStep(-1, stayed + ": " + replicas + " -> " + (replicas - 1) + " replicas");
    }
    return new ScaleStep(0, app + " did not stay above " + num(rule.upperActivity()) + " or below "
        + num(rule.lowerActivity()) + " for " + span + " (" + num(min) + ".." + num(max) + ")");
  }

  /** The samples that describe [start, now]: the last one at or before start and every later one; empty when none is at or before start. */
  private static List<ActivitySample> window(List<ActivitySample> samples, Instant start, Instant now) {
    List<ActivitySample> sorted = new ArrayList<>();
    for (ActivitySample s : samples == null ? List.<ActivitySample>of() : samples) {
      if (s != null && s.at() != null && !s.at().isAfter(now) && !Double.isNaN(s.activity())) sorted.add(s);
    }
    sorted.sort(Comparator.comparing(ActivitySample::at));
    int anchor = -1;
    for (int i = 0; i < sorted.size(); i++) {
      if (!sorted.get(i).at().isAfter(start)) anchor = i;
    }
    return anchor < 0 ? List.of() : sorted.subList(anchor, sorted.size());
  }

  private static String replicas(int n) {
    return n + (n == 1 ? " replica" : " replicas");
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String text(Duration d) {
    long s = d.getSeconds();
    if (s % 3600 == 0 && s > 0) return s / 3600 + " h";
    if (s % 60 == 0 && s > 0) return s / 60 + " min";
    return s + " s";
  }
}
