package io.actorvmm.domain.service;

import java.util.List;

/** A service's rules as data: the applications whose replicas must each run on a different host. */
public record ServiceRules(List<String> distinctHosts) {

  /** No rules. */
  public static final ServiceRules NONE = new ServiceRules(List.of());

  /** Copies the list so the record stays immutable. */
  public ServiceRules {
    distinctHosts = distinctHosts == null ? List.of() : List.copyOf(distinctHosts);
  }
}
