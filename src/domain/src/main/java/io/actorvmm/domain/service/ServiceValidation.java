package io.actorvmm.domain.service;

import io.actorvmm.domain.Ids;
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
    Set<String> names = new HashSet<>();
    Set<String> duplicates = new LinkedHashSet<>();
    for (AppRequirement a : spec.apps()) {
      if (!names.add(a.app())) duplicates.add(a.app());
    }
    duplicates.forEach(d -> out.add("app " + d + " is listed more than once"));
    for (AppRequirement a : spec.apps()) {
      String name = a.app() == null ? "(unnamed)" : a.app();
      String prefix = "app " + name + ": ";
      if (!Ids.valid(a.app())) out.add(Ids.problem("app name", a.app()));
      if (a.kind() == null || a.kind().isBlank()) out.add(prefix + "kind is missing");
      if (a.replicas() < 1) out.add(prefix + "replicas must be at least 1");
      if (a.vm() == null) out.add(prefix + "vm spec is missing");
      else a.vm().problems().forEach(p -> out.add(prefix + p));
      for (String d : a.after()) {
        if (d.equals(a.app())) out.add("app " + name + " starts after itself");
        else if (!names.contains(d)) out.add("app " + name + " starts after unknown app " + d);
      }
    }
    for (String d : spec.rules().distinctHosts()) {
      if (!names.contains(d)) out.add("distinct hosts rule names unknown app " + d);
    }
    out.addAll(ruleProblems(spec.rules(), names));
    String cycle = cycle(spec);
    if (cycle != null) out.add(cycle);
    return List.copyOf(out);
  }

  /** Problems with the affinity, max-per-host, max-unavailable, policy and autoscaling rules. */
  private static List<String> ruleProblems(ServiceRules rules, Set<String> names) {
    List<String> out = new ArrayList<>();
    for (List<String> group : rules.affinity()) {
      if (group.size() < 2) out.add("an affinity group needs at least two apps");
      for (String a : group) {
        if (!names.contains(a)) out.add("affinity group names unknown app " + a);
      }
    }
    rules.maxPerHost().forEach((app, n) -> {
      if (!names.contains(app)) out.add("max per host names unknown app " + app);
      else if (n == null || n < 1) out.add("max per host of " + app + " must be at least 1");
    });
    if (rules.maxUnavailable() < 0) out.add("max unavailable must not be negative");
    String policy = PlacementPolicy.problem(rules.placementPolicy());
    if (policy != null) out.add(policy);
    Set<String> scaled = new HashSet<>();
    for (AutoscaleRule r : rules.autoscale()) {
      if (r == null) continue;
      String prefix = "autoscale " + (r.app() == null ? "(unnamed)" : r.app()) + ": ";
      if (!names.contains(r.app())) out.add("autoscale rule names unknown app " + r.app());
      else if (!scaled.add(r.app())) out.add(prefix + "the app has more than one autoscale rule");
      if (r.minReplicas() < 0) out.add(prefix + "min replicas must not be negative");
      if (r.minReplicas() > r.maxReplicas()) {
        out.add(prefix + "min replicas " + r.minReplicas() + " is above max replicas " + r.maxReplicas());
      }
      if (!(r.upperActivity() > r.lowerActivity())) {
        out.add(prefix + "upper activity " + r.upperActivity() + " must be above lower activity " + r.lowerActivity());
      }
      if (r.window().isNegative() || r.window().isZero()) out.add(prefix + "window must be above zero");
    }
    return out;
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
