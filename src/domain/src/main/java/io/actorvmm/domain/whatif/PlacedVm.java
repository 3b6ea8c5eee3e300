package io.actorvmm.domain.whatif;

import io.actorvmm.domain.VmSpec;

/**
 * A VM holding a host in the inventory: its id, host, spec, application (may be null) and the service
 * whose rules it follows (null: the first service listing its application).
 */
public record PlacedVm(String vmId, String hostId, VmSpec spec, String app, String service) {

  /** A VM following the first service that lists its application. */
  public PlacedVm(String vmId, String hostId, VmSpec spec, String app) {
    this(vmId, hostId, spec, app, null);
  }
}
