package io.actorvmm.runtime;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.host.HostEvent;
import io.actorvmm.runtime.host.HostState;
import java.util.List;

/** Hosts and VMs the runtime tests share. */
public final class Specs {
  private Specs() {}

  /** A qemu host of security level 1 with {@code cpu} cores and {@code memMiB} MiB, 100 GiB disk, 1000 Mbit. */
  public static HostSpec host(String id, int cpu, long memMiB) {
    return new HostSpec(id, new Resources(cpu, memMiB, 100, 1000), List.of("qemu"), "lab", 1, CostRates.FREE);
  }

  /** A qemu VM of security level 0 with 10 GiB disk and 100 Mbit. */
  public static VmSpec vm(int cpu, long memMiB) {
    return new VmSpec(cpu, memMiB, 10, 100, "qemu", "debian-12", true, 0);
  }

  /** A registered, Up host's state holding {@code reservations} (vmId, appId pairs of {@code demand} each). */
  public static HostState hostState(HostSpec spec, Resources demand, String... vmAndApp) {
    HostState s = HostState.empty(spec.hostId())
        .apply(new HostEvent.HostRegistered(spec.hostId(), spec, "node-a", EventMeta.now("test")));
    for (int i = 0; i + 1 < vmAndApp.length; i += 2) {
      s = s.apply(new HostEvent.CapacityReserved(spec.hostId(), vmAndApp[i], vmAndApp[i + 1], demand,
          EventMeta.now("test")));
    }
    return s;
  }
}
