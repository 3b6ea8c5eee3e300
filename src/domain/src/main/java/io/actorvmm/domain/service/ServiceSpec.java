package io.actorvmm.domain.service;

import java.util.List;

/** A service: a named set of applications with replica counts, and its rules. */
public record ServiceSpec(String name, List<AppRequirement> apps, ServiceRules rules) {

  /** Copies collections so the record stays immutable. */
  public ServiceSpec {
    apps = apps == null ? List.of() : List.copyOf(apps);
    rules = rules == null ? ServiceRules.NONE : rules;
  }

  /** The requirement for {@code app}, or null when the service has no such application. */
  public AppRequirement app(String app) {
    return apps.stream().filter(a -> a.app().equals(app)).findFirst().orElse(null);
  }
}
