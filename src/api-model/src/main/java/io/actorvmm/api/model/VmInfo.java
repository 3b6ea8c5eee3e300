package io.actorvmm.api.model;

import io.actorvmm.domain.VmSpec;
import java.time.Instant;

/**
 * A VM as the API shows it. {@code restart} is its restart policy ("always: 3 restarts in place within
 * 10 min"), {@code restarts} how many restarts in place count within that window now, {@code nextRetry}
 * when a restart waiting for its back-off boots (null: none waits), and {@code dataUnavailable} why its
 * data cannot be used (null: it can).
 */
public record VmInfo(String vmId, String phase, VmSpec spec, String hostId, int copyPercent, String appId,
                     String reason, PlacementInfo placement, String restart, int restarts, Instant nextRetry,
                     String dataUnavailable) {

  /** A VM without restarts and with its data. */
  public VmInfo(String vmId, String phase, VmSpec spec, String hostId, int copyPercent, String appId, String reason,
                PlacementInfo placement) {
    this(vmId, phase, spec, hostId, copyPercent, appId, reason, placement, null, 0, null, null);
  }
}
