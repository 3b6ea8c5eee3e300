package io.actorvmm.domain.placement;

import java.util.Map;
import java.util.TreeMap;

/** Anti-affinity: a host must not hold a VM of an app the request must stay apart from. */
public final class DistinctHostsFilter implements HostFilter {

  /** Short reason prefix, followed by the app: "broke anti-affinity of web". */
  public static final String BROKE = "broke anti-affinity of ";

  /** The filter's name. */
  @Override
  public String name() {
    return "distinct-hosts";
  }

  /** null when no VM on the host belongs to an app in distinctFromApps, else "broke anti-affinity of web (web-1 is there)". */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    Map.Entry<String, String> clash = clash(r, h);
    return clash == null ? null : BROKE + clash.getValue() + " (" + clash.getKey() + " is there)";
  }

  /** "broke anti-affinity of APP" for the clashing app. */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    Map.Entry<String, String> clash = clash(r, h);
    return clash == null ? null : BROKE + clash.getValue();
  }

  private static Map.Entry<String, String> clash(PlacementRequest r, HostCandidate h) {
    if (r.distinctFromApps().isEmpty()) return null;
    // walk VMs by id so the same host always names the same clashing VM
    for (Map.Entry<String, String> vm : new TreeMap<>(h.vmApps()).entrySet()) {
      if (vm.getKey().equals(r.vmId())) continue;  // the VM itself never clashes with its own reservation
      if (r.distinctFromApps().contains(vm.getValue())) return vm;
    }
    return null;
  }
}
