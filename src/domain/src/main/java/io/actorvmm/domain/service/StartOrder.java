package io.actorvmm.domain.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The order a service's applications start and stop in, derived from their {@code after} dependencies. */
public final class StartOrder {

  /** Message prefix for a dependency cycle, followed by the apps in start order: "a -> b -> c -> a". */
  public static final String CYCLE = "start order has a cycle: ";

  private StartOrder() {}

  /** Levels of applications: level 0 has no dependencies, level n depends only on earlier levels; each level sorted by name. */
  public static List<List<String>> levels(ServiceSpec spec) throws IllegalArgumentException {
    Map<String, Set<String>> deps = dependencies(spec);
    List<List<String>> levels = new ArrayList<>();
    Set<String> started = new TreeSet<>();
    Set<String> waiting = new TreeSet<>(deps.keySet());
    while (!waiting.isEmpty()) {
      List<String> level = new ArrayList<>();
      for (String app : waiting) {
        if (started.containsAll(deps.get(app))) level.add(app);
      }
      if (level.isEmpty()) throw new IllegalArgumentException(CYCLE + cycle(deps, waiting));
      levels.add(List.copyOf(level));  // waiting is sorted, so the level is too
      started.addAll(level);
      level.forEach(waiting::remove);
    }
    return List.copyOf(levels);
  }

  /** Stop order: the levels reversed. */
  public static List<List<String>> stopLevels(ServiceSpec spec) {
    List<List<String>> stop = new ArrayList<>(levels(spec));
    Collections.reverse(stop);
    return List.copyOf(stop);
  }

  /** app -> the known apps it starts after; unknown names are dropped because validation reports them. */
  private static Map<String, Set<String>> dependencies(ServiceSpec spec) {
    Map<String, Set<String>> deps = new TreeMap<>();
    // an app without a name cannot be ordered; validation reports it
    List<AppRequirement> named = spec.apps().stream().filter(a -> a.app() != null).toList();
    for (AppRequirement a : named) deps.computeIfAbsent(a.app(), k -> new TreeSet<>());
    // a name listed twice merges its dependencies, so no dependency is silently lost
    for (AppRequirement a : named) {
      for (String d : a.after()) if (deps.containsKey(d)) deps.get(a.app()).add(d);
    }
    return deps;
  }

  /** One cycle among {@code waiting} apps, written in start order and starting at its smallest name. */
  private static String cycle(Map<String, Set<String>> deps, Set<String> waiting) {
    // every waiting app waits on another waiting app, so walking "starts after" links must revisit one
    List<String> path = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String at = waiting.iterator().next();
    while (seen.add(at)) {
      path.add(at);
      at = deps.get(at).stream().filter(waiting::contains).findFirst().orElseThrow();
    }
    List<String> loop = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
    // the walk followed "starts after" links; reverse so arrows read in start order ("a -> b": b starts after a)
    Collections.reverse(loop);
    Collections.rotate(loop, -loop.indexOf(Collections.min(loop)));
    loop.add(loop.get(0));
    return String.join(" -> ", loop);
  }
}
