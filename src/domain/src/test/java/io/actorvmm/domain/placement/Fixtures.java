package io.actorvmm.domain.placement;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small builders shared by the placement tests. */
final class Fixtures {
  private Fixtures() {}

  /** An UP qemu host of security level 1 with 8 cores, 16 GiB, 100 GiB disk, 1000 Mbit and nothing used. */
  static HostCandidate host(String id) {
    return host(id, new Resources(8, 16384, 100, 1000), Resources.ZERO);
  }

  /** An UP qemu host of security level 1 with the given capacity and use. */
  static HostCandidate host(String id, Resources capacity, Resources used) {
    return new HostCandidate(spec(id, capacity, List.of("qemu"), 1), HostStatus.UP, used, Map.of(), 0);
  }

  /** A host spec. */
  static HostSpec spec(String id, Resources capacity, List<String> runtimes, int securityLevel) {
    return new HostSpec(id, capacity, runtimes, "local", securityLevel, CostRates.FREE);
  }

  /** A qemu VM of security level 0. */
  static VmSpec vm(int cpu, long memMiB) {
    return vm(cpu, memMiB, 10, 100, "qemu", 0);
  }

  /** A VM spec. */
  static VmSpec vm(int cpu, long memMiB, long diskGiB, long netMbit, String runtime, int securityLevel) {
    return new VmSpec(cpu, memMiB, diskGiB, netMbit, runtime, "img", true, securityLevel);
  }

  /** A request for {@code vm} without app or anti-affinity. */
  static PlacementRequest request(VmSpec vm) {
    return new PlacementRequest("vm-1", vm, null, Set.of());
  }
}
