package io.actorvmm.domain.placement;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.HashMap;
import java.util.Map;

/** A host as placement sees it: its spec, status, what is reserved on it, and which app each reserved VM belongs to. */
public record HostCandidate(HostSpec spec, HostStatus status, Resources used, Map<String, String> vmApps) {

  /** Copies the VM map so the record stays immutable; a VM without an app maps to "". */
  public HostCandidate {
    used = used == null ? Resources.ZERO : used;
    Map<String, String> copy = new HashMap<>();
    if (vmApps != null) {
      // Map.copyOf refuses null values; a VM without an app is stored as "" as the contract says
      vmApps.forEach((vm, app) -> { if (vm != null) copy.put(vm, app == null ? "" : app); });
    }
    vmApps = Map.copyOf(copy);
  }

  /** The host's id. */
  public String hostId() {
    return spec.hostId();
  }

  /** What is left on the host: its capacity minus what is reserved. */
  public Resources free() {
    Resources capacity = spec.capacity() == null ? Resources.ZERO : spec.capacity();
    return capacity.minus(used);
  }
}
