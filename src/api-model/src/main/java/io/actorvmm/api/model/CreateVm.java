package io.actorvmm.api.model;

import io.actorvmm.domain.VmSpec;

/** The body of a VM creation. */
public record CreateVm(String vmId, int cpuCores, long memoryMiB, long diskGiB, long networkMbit, String runtime,
                       String image, Boolean relocatable, int securityLevel) {

  /** The spec this request describes; a VM is relocatable unless told otherwise. */
  public VmSpec spec() {
    return new VmSpec(cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image,
        relocatable == null || relocatable, securityLevel);
  }
}
