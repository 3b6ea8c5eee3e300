package io.actorvmm.domain.whatif;

import io.actorvmm.domain.service.ServiceSpec;
import java.util.List;

/** A snapshot of the live inventory: hosts, the VMs placed on them, and the service specs. */
public record Inventory(List<InventoryHost> hosts, List<PlacedVm> vms, List<ServiceSpec> services) {

  /** Copies the lists so the record stays immutable. */
  public Inventory {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    vms = vms == null ? List.of() : List.copyOf(vms);
    services = services == null ? List.of() : List.copyOf(services);
  }
}
