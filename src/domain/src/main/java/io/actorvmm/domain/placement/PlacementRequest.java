package io.actorvmm.domain.placement;

import io.actorvmm.domain.VmSpec;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** A VM to place: its id, spec, its app (may be null) and the apps whose VMs must not share its host. */
public record PlacementRequest(String vmId, VmSpec spec, String appId, Set<String> distinctFromApps) {

  /** Copies the anti-affinity set so the record stays immutable; null means no anti-affinity. */
  public PlacementRequest {
    // Set.copyOf refuses nulls, and a null app id could never match a VM's app anyway
    distinctFromApps = distinctFromApps == null ? Set.of()
        : distinctFromApps.stream().filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());
  }
}
