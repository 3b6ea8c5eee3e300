package io.actorvmm.adapters;

import java.util.Map;

/**
 * Use figures of one VM: CPU in percent of its cores, memory, disk and network in their units, and,
 * where the adapter sees inside the VM ({@link Capability#APP_STATISTICS}), the CPU activity in percent
 * of each application it runs, by application name.
 */
public record VmStatistics(double cpuPercent, long memoryUsedMiB, long diskUsedGiB, long networkKbitPerSecond,
                           Map<String, Double> appActivity) {

  /** No use measured. */
  public static final VmStatistics NONE = new VmStatistics(0, 0, 0, 0);

  /** Copies the application figures so the record stays immutable. */
  public VmStatistics {
    appActivity = appActivity == null ? Map.of() : Map.copyOf(appActivity);
  }

  /** Figures of a VM whose applications the adapter cannot see. */
  public VmStatistics(double cpuPercent, long memoryUsedMiB, long diskUsedGiB, long networkKbitPerSecond) {
    this(cpuPercent, memoryUsedMiB, diskUsedGiB, networkKbitPerSecond, Map.of());
  }
}
