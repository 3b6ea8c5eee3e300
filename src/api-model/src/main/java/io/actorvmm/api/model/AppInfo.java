package io.actorvmm.api.model;

import io.actorvmm.domain.VmSpec;
import java.util.List;

/** An application and its replicas' VMs as the API shows them. */
public record AppInfo(String appId, String kind, int replicas, VmSpec vm, List<String> services, String status,
                      int runningReplicas, List<Replica> vms) {

  /** One replica's VM. */
  public record Replica(String vmId, String phase, String hostId) {}
}
