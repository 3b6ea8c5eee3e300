package io.actorvmm.domain.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Derives a service's availability from how many replicas of each of its applications run. */
public final class AvailabilityRule {

  /** Reason when the service is not started. */
  public static final String STOPPED = "service is stopped";
  /** Reason when the service lists no application. */
  public static final String NO_APPS = "service has no applications";

  private AvailabilityRule() {}

  /** running: app -> running replicas; stopped gives STOPPED, any app at 0 UNAVAILABLE, any app short DEGRADED, else AVAILABLE. */
  public static ServiceHealth compute(ServiceSpec spec, Map<String, Integer> running, boolean stopped) {
    if (stopped) return new ServiceHealth(Availability.STOPPED, STOPPED);
    if (spec.apps().isEmpty()) return new ServiceHealth(Availability.UNAVAILABLE, NO_APPS);
    List<AppRequirement> apps = new ArrayList<>(spec.apps());
    apps.sort(Comparator.comparing(AppRequirement::app));  // reasons list apps by name, whatever the spec order
    List<String> down = new ArrayList<>();
    List<String> downDetail = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    for (AppRequirement a : apps) {
      int have = running == null ? 0 : running.getOrDefault(a.app(), 0);
      // an app asking for no replicas is invalid; treat it as needing one so "up" always means something runs
      int want = Math.max(1, a.replicas());
      if (have <= 0) {
        down.add(a.app());
        downDetail.add(a.app() + " is down (0 of " + want + " running)");
      } else if (have < want) {
        degraded.add(a.app() + " has " + have + " of " + want + " replicas running");
      }
    }
    if (down.size() == 1) return new ServiceHealth(Availability.UNAVAILABLE, downDetail.get(0));
    if (!down.isEmpty()) return new ServiceHealth(Availability.UNAVAILABLE, String.join(", ", down) + " are down");
    if (!degraded.isEmpty()) return new ServiceHealth(Availability.DEGRADED, String.join(", ", degraded));
    int n = apps.size();
    return new ServiceHealth(Availability.AVAILABLE,
        n == 1 ? "its 1 application is up" : "all " + n + " applications are up");
  }
}
