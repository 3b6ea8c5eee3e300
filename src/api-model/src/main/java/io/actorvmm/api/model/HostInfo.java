package io.actorvmm.api.model;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.Resources;
import java.util.List;

/**
 * A physical machine as the API shows it; {@code unmanaged} are the VMs its virtual layer runs that the
 * cluster does not know (never touched); {@code fencing} how its VMs are made certain to have stopped
 * before they start elsewhere; {@code failoverWaits} what the failover of this lost host waits for (null
 * when nothing).
 */
public record HostInfo(String hostId, String status, String statusReason, String site, int securityLevel,
                       List<String> runtimes, Resources capacity, Resources used, Resources free,
                       CostRates costRates, List<String> vms, List<String> unmanaged, String fencing,
                       String failoverWaits) {

  /** A host without fencing details. */
  public HostInfo(String hostId, String status, String statusReason, String site, int securityLevel,
                  List<String> runtimes, Resources capacity, Resources used, Resources free, CostRates costRates,
                  List<String> vms, List<String> unmanaged) {
    this(hostId, status, statusReason, site, securityLevel, runtimes, capacity, used, free, costRates, vms, unmanaged,
        null, null);
  }

  /** A host that runs nothing unmanaged. */
  public HostInfo(String hostId, String status, String statusReason, String site, int securityLevel,
                  List<String> runtimes, Resources capacity, Resources used, Resources free, CostRates costRates,
                  List<String> vms) {
    this(hostId, status, statusReason, site, securityLevel, runtimes, capacity, used, free, costRates, vms, List.of());
  }
}
