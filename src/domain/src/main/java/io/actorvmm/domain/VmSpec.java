package io.actorvmm.domain;

import java.util.ArrayList;
import java.util.List;

/** What a VM needs: its resources, the runtime type it runs on, its image, and whether it may move. */
public record VmSpec(int cpuCores, long memoryMiB, long diskGiB, long networkMbit, String runtime,
                     String image, boolean relocatable, int securityLevel) {

  /** The resources a host reserves for this VM. */
  public Resources demand() {
    return new Resources(cpuCores, memoryMiB, diskGiB, networkMbit);
  }

  /** Every problem with this spec as one-line messages; empty when it is valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (cpuCores <= 0) out.add("cpu must be at least 1");
    if (memoryMiB <= 0) out.add("memory must be above zero");
    if (diskGiB < 0) out.add("disk must not be negative");
    if (networkMbit < 0) out.add("network must not be negative");
    if (runtime == null || runtime.isBlank()) out.add("runtime type is missing");
    if (securityLevel < 0) out.add("security level must not be negative");
    return out;
  }
}
