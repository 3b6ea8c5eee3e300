package io.actorvmm.domain.service;

import io.actorvmm.domain.VmSpec;
import java.util.List;

/** One application of a service: its kind, how many replicas, the VM each replica runs in, and the applications it starts after. */
public record AppRequirement(String app, String kind, int replicas, VmSpec vm, List<String> after) {

  /** Copies the dependency list so the record stays immutable. */
  public AppRequirement {
    after = after == null ? List.of() : List.copyOf(after);
  }
}
