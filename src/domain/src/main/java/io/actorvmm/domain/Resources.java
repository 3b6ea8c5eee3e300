package io.actorvmm.domain;

/** An amount of the four resources a host offers and a VM reserves. */
public record Resources(int cpuCores, long memoryMiB, long storageGiB, long networkMbit) {

  /** Nothing at all. */
  public static final Resources ZERO = new Resources(0, 0, 0, 0);

  /** The sum of this and another amount. */
  public Resources plus(Resources o) {
    return new Resources(cpuCores + o.cpuCores, memoryMiB + o.memoryMiB, storageGiB + o.storageGiB,
        networkMbit + o.networkMbit);
  }

  /** This amount less another. */
  public Resources minus(Resources o) {
    return new Resources(cpuCores - o.cpuCores, memoryMiB - o.memoryMiB, storageGiB - o.storageGiB,
        networkMbit - o.networkMbit);
  }

  /** The name of the first resource of which {@code demand} asks more than this has, or null if it fits. */
  public String shortfall(Resources demand) {
    if (demand.cpuCores > cpuCores) return "cpu";
    if (demand.memoryMiB > memoryMiB) return "memory";
    if (demand.storageGiB > storageGiB) return "storage";
    if (demand.networkMbit > networkMbit) return "network";
    return null;
  }

  /** True when {@code demand} fits in this amount. */
  public boolean fits(Resources demand) {
    return shortfall(demand) == null;
  }

  /** The name of the first negative field, or null when every field is zero or more. */
  public String firstNegative() {
    if (cpuCores < 0) return "cpu";
    if (memoryMiB < 0) return "memory";
    if (storageGiB < 0) return "storage";
    if (networkMbit < 0) return "network";
    return null;
  }
}
