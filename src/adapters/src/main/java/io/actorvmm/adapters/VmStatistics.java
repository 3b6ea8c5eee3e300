package io.actorvmm.adapters;

/** Use figures of one VM: CPU in percent of its cores, memory, disk and network in their units. */
public record VmStatistics(double cpuPercent, long memoryUsedMiB, long diskUsedGiB, long networkKbitPerSecond) {

  /** No use measured. */
  public static final VmStatistics NONE = new VmStatistics(0, 0, 0, 0);
}
