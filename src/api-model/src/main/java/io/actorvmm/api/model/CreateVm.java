package io.actorvmm.api.model;

import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.VmSpec;
import java.time.Duration;

/**
 * The body of a VM creation. {@code data} (LOCAL, REPLICATED, DISPOSABLE; default LOCAL) and
 * {@code restartPriority} (default 0) decide what failover does when the VM's host is lost;
 * {@code restart} (always, on-failure, never; default on-failure), {@code maxRestarts} (default 3) and
 * {@code restartWindow} (default PT10M) what happens when it is found not running on its host.
 */
public record CreateVm(String vmId, int cpuCores, long memoryMiB, long diskGiB, long networkMbit, String runtime,
                       String image, Boolean relocatable, int securityLevel, DataPolicy data, Integer restartPriority,
                       String restart, Integer maxRestarts, Duration restartWindow) {

  /** A VM with local data and restart priority 0. */
  public CreateVm(String vmId, int cpuCores, long memoryMiB, long diskGiB, long networkMbit, String runtime,
                  String image, Boolean relocatable, int securityLevel) {
    this(vmId, cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image, relocatable, securityLevel, null, null,
        null, null, null);
  }

  /** The spec this request describes; a VM is relocatable unless told otherwise. */
  public VmSpec spec() {
    VmSpec s = new VmSpec(cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image,
        relocatable == null || relocatable, securityLevel);
    VmSpec withData = data == null && restartPriority == null ? s
        : s.withData(data, restartPriority == null ? 0 : restartPriority);
    return withData.withRestart(restart, maxRestarts, restartWindow);
  }
}
