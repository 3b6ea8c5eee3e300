package io.actorvmm.domain.service;

import io.actorvmm.domain.Ids;
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
    String cycle = cycle(spec);
    if (cycle != null) out.add(cycle);
    return List.copyOf(out);
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
