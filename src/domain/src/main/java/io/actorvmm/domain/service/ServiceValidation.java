package io.actorvmm.domain.service;

import io.actorvmm.domain.Ids;
import io.actorvmm.domain.Limits;
import io.actorvmm.domain.placement.PlacementPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks a service spec before it is accepted. */
public final class ServiceValidation {

  /** Problem when the service lists no application. */
  public static final String NO_APPS = "a service needs at least one application";

  private ServiceValidation() {}

  /** Every problem as one-line messages, empty when valid. */
  public static List<String> problems(ServiceSpec spec) {
    List<String> out = new ArrayList<>();
    if (!Ids.valid(spec.name())) out.add(Ids.problem("service name", spec.name()));
    if (spec.apps().isEmpty()) out.add(NO_APPS);
    // a service too large is refused before its parts are looked at: one request must not make the node work for long
    if (spec.apps().size() > Limits.MAX_APPS) {
      out.add("apps must have at most " + Limits.MAX_APPS + " items");
      return List.copyOf(out);
    }
    // each app counts at most its own limit, so one app over it is reported once, as its own problem
    long total = spec.apps().stream().mapToLong(a -> Math.min(Limits.MAX_REPLICAS, Math.max(0, a.replicas()))).sum();
    if (total > Limits.MAX_SERVICE_REPLICAS) {
      out.add("replicas of all apps together must be at most " + Limits.MAX_SERVICE_REPLICAS + ", not " + total);
    }
    Set<String> names = new HashSet<>();
    Set<String> duplicates = new LinkedHashSet<>();
    for (AppRequirement a : spec.apps()) {
      if (!names.add(a.app())) duplicates.add(a.app());
    }
    duplicates.forEach(d -> out.add("app " + Limits.clip(d) + " is listed more than once"));
    for (AppRequirement a : spec.apps()) {
      String name = a.app() == null ? "(unnamed)" : Limits.clip(a.app());
      String prefix = "app " + name + ": ";
      if (!Ids.valid(a.app())) out.add(Ids.problem("app name", a.app()));
      if (a.kind() == null || a.kind().isBlank()) out.add(prefix + "kind is missing");
      add(out, prefix, Limits.text("kind", a.kind()));
      add(out, prefix, Limits.range("replicas", a.replicas(), 1, Limits.MAX_REPLICAS));
      add(out, prefix, Limits.size("after", a.after()));
      if (a.vm() == null) out.add(prefix + "vm spec is missing");
      else a.vm().problems().forEach(p -> out.add(prefix + p));
      for (String d : a.after()) {
        if (d.equals(a.app())) out.add("app " + name + " starts after itself");
        else if (!names.contains(d)) out.add("app " + name + " starts after unknown app " + Limits.clip(d));
      }
    }
    for (String d : spec.rules().distinctHosts()) {
      if (!names.contains(d)) out.add("distinct hosts rule names unknown app " + Limits.clip(d));
    }
    out.addAll(ruleProblems(spec.rules(), names));
    // a cycle's message repeats app names: look for one only once every name is a valid id
    String cycle = spec.apps().stream().allMatch(a -> Ids.valid(a.app())) ? cycle(spec) : null;
    if (cycle != null) out.add(cycle);
    return List.copyOf(out);
  }

  /** Problems with the affinity, max-per-host, max-unavailable, policy and autoscaling rules. */
  private static List<String> ruleProblems(ServiceRules rules, Set<String> names) {
    List<String> out = new ArrayList<>();
    add(out, "", Limits.size("distinct hosts rule", rules.distinctHosts()));
    add(out, "", Limits.size("affinity", rules.affinity()));
    add(out, "", Limits.size("max per host", rules.maxPerHost()));
    add(out, "", Limits.size("autoscale", rules.autoscale().size(), Limits.MAX_APPS));
    add(out, "", Limits.text("placement policy", rules.placementPolicy()));
    if (!out.isEmpty()) return out;
    for (List<String> group : rules.affinity()) {
      add(out, "", Limits.size("an affinity group", group));
      if (group.size() < 2) out.add("an affinity group needs at least two apps");
      for (String a : group) {
        if (!names.contains(a)) out.add("affinity group names unknown app " + Limits.clip(a));
      }
    }
    rules.maxPerHost().forEach((app, n) -> {
      if (!names.contains(app)) out.add("max per host names unknown app " + Limits.clip(app));
      else if (n == null || n < 1) out.add("max per host of " + app + " must be at least 1");
      else add(out, "", Limits.range("max per host of " + app, n, 1, Limits.MAX_REPLICAS));
    });
    if (rules.maxUnavailable() < 0) out.add("max unavailable must not be negative");
    else add(out, "", Limits.range("max unavailable", rules.maxUnavailable(), 0, Limits.MAX_REPLICAS));
    String policy = PlacementPolicy.problem(rules.placementPolicy());
    if (policy != null) out.add(policy);
    Set<String> scaled = new HashSet<>();
    for (AutoscaleRule r : rules.autoscale()) {
      if (r == null) continue;
      String prefix = "autoscale " + (r.app() == null ? "(unnamed)" : Limits.clip(r.app())) + ": ";
      if (!names.contains(r.app())) out.add("autoscale rule names unknown app " + Limits.clip(r.app()));
      else if (!scaled.add(r.app())) out.add(prefix + "the app has more than one autoscale rule");
      if (r.minReplicas() < 0) out.add(prefix + "min replicas must not be negative");
      add(out, prefix, Limits.range("max replicas", r.maxReplicas(), Integer.MIN_VALUE, Limits.MAX_REPLICAS));
      if (r.minReplicas() > r.maxReplicas()) {
        out.add(prefix + "min replicas " + r.minReplicas() + " is above max replicas " + r.maxReplicas());
      }
      if (!Double.isFinite(r.upperActivity()) || !Double.isFinite(r.lowerActivity())) {
        out.add(prefix + "upper and lower activity must be finite numbers");
      } else if (!(r.upperActivity() > r.lowerActivity())) {
        out.add(prefix + "upper activity " + r.upperActivity() + " must be above lower activity " + r.lowerActivity());
      }
      if (r.window().isNegative() || r.window().isZero()) out.add(prefix + "window must be above zero");
    }
    return out;
  }

  private static void add(List<String> out, String prefix, String problem) {
    if (problem != null) out.add(prefix + problem);
  }

  /** The start-order cycle message, or null; self-dependencies are left out as they are already reported. */
  private static String cycle(ServiceSpec spec) {
    List<AppRequirement> apps = new ArrayList<>();
    for (AppRequirement a : spec.apps()) {
      List<String> after = a.after().stream().filter(d -> !d.equals(a.app())).toList();
      apps.add(new AppRequirement(a.app(), a.kind(), a.replicas(), a.vm(), after));
    }
    try {
      StartOrder.levels(new ServiceSpec(spec.name(), apps, spec.rules()));
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
