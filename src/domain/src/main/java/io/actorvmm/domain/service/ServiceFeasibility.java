package io.actorvmm.domain.service;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.util.List;

/**
 * Whether the cluster's registered hosts could ever hold a service under its rules, whatever runs on
 * them now: every replica needs a host that offers its runtime, reaches its security level and is
 * large enough for it; replicas on distinct hosts need as many such hosts; at most N per host needs
 * enough hosts for the replicas. A service that fails this is refused at definition with the reason,
 * rather than left with replicas that wait forever.
 */
public final class ServiceFeasibility {

  private ServiceFeasibility() {}

  /** The first reason the service can never be satisfied on {@code hosts}, or null when it can. */
  public static String problem(ServiceSpec spec, List<HostSpec> hosts) {
    if (hosts == null || hosts.isEmpty()) return null;  // no host yet: nothing to judge against
    for (AppRequirement a : spec.apps()) {
      VmSpec vm = a.vm();
      if (vm == null) continue;
      long fitting = hosts.stream().filter(h -> fits(vm, h)).count();
      if (fitting == 0) {
        return "app " + a.app() + " can never run: no host offers runtime " + vm.runtime() + " with security level "
            + vm.securityLevel() + " and room for " + describe(vm.demand());
      }
      boolean distinct = spec.rules().distinct(a.app());
      int perHost = spec.rules().maxPerHostOf(a.app());
      if (distinct && a.replicas() > fitting) {
        return "app " + a.app() + " needs " + a.replicas() + " replicas on distinct hosts but only " + fitting
            + (fitting == 1 ? " host can" : " hosts can") + " hold it";
      }
      if (!distinct && perHost > 0 && a.replicas() > fitting * perHost) {
        return "app " + a.app() + " needs " + a.replicas() + " replicas at most " + perHost + " per host but only "
            + fitting + (fitting == 1 ? " host can" : " hosts can") + " hold it";
      }
      if (autoscaleMax(spec, a.app()) > 0 && distinct && autoscaleMax(spec, a.app()) > fitting) {
        return "app " + a.app() + " may scale to " + autoscaleMax(spec, a.app()) + " replicas on distinct hosts but only "
            + fitting + (fitting == 1 ? " host can" : " hosts can") + " hold it";
      }
    }
    return null;
  }

  private static int autoscaleMax(ServiceSpec spec, String app) {
    AutoscaleRule r = spec.rules().autoscaleOf(app);
    return r == null ? 0 : r.maxReplicas();
  }

  private static boolean fits(VmSpec vm, HostSpec h) {
    if (h.capacity() == null || !h.runtimes().contains(vm.runtime())) return false;
    if (h.securityLevel() < vm.securityLevel()) return false;
    if (!vm.relocatable() && vm.site() != null && !vm.site().equals(h.site())) return false;
    if (vm.localSitesOnly() && h.remote()) return false;
    return h.capacity().fits(vm.demand());
  }

  private static String describe(Resources r) {
    return r.cpuCores() + " cpu, " + r.memoryMiB() + " MiB memory, " + r.storageGiB() + " GiB disk";
  }
}
