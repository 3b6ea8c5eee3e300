package io.actorvmm.cli;

import io.actorvmm.api.model.AppInfo;
import io.actorvmm.api.model.HostInfo;
import io.actorvmm.api.model.PlacementInfo;
import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.api.model.VmInfo;
import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import java.util.List;

/** Answers built from the api-model records, as a node would send them. */
final class Fixtures {
  private Fixtures() {}

  static final VmSpec WEB_SPEC = new VmSpec(2, 2048, 20, 100, "kvm", "ubuntu-24.04", true, 0);

  static HostInfo host(String id, int cpuUsed, long memUsed, List<String> vms) {
    Resources capacity = new Resources(16, 65536, 1000, 10000);
    Resources used = new Resources(cpuUsed, memUsed, 40, 200);
    return new HostInfo(id, "up", null, "rack-a", 2, List.of("kvm", "docker"), capacity, used,
        capacity.minus(used), new CostRates(0.0001, 0.02, 0.05), vms);
  }

  static PlacementInfo placement() {
    return new PlacementInfo("h1", "placed on h1: best score of 2 eligible hosts, 1 rejected", List.of(
        new PlacementInfo.Verdict("h1", "chosen", null, null, 0.82),
        new PlacementInfo.Verdict("h2", "passed", null, null, 0.41),
        new PlacementInfo.Verdict("h3", "rejected", "capacity", "not enough memory", 0)));
  }

  static VmInfo vm(String id, String phase, String host) {
    return new VmInfo(id, phase, WEB_SPEC, host, 0, "web", null, host == null ? null : placement());
  }

  static ServiceSpec ecommerceSpec() {
    return new ServiceSpec("ecommerce", List.of(
        new AppRequirement("db", "postgres", 1, new VmSpec(4, 8192, 100, 1000, "kvm", "pg-16", false, 2), List.of()),
        new AppRequirement("app", "java", 2, WEB_SPEC, List.of("db")),
        new AppRequirement("web", "nginx", 2, WEB_SPEC, List.of("app"))),
        new ServiceRules(List.of("web")));
  }

  static ServiceInfo ecommerce(String desired, String availability, String reason) {
    return new ServiceInfo("ecommerce", ecommerceSpec(), desired, availability, reason,
        List.of(List.of("db"), List.of("app"), List.of("web")), List.of(
            new ServiceInfo.AppStatus("db", "running", 1, 1),
            new ServiceInfo.AppStatus("app", "running", 2, 2),
            new ServiceInfo.AppStatus("web", "running", 2, 2)));
  }

  static AppInfo app() {
    return new AppInfo("web", "nginx", 2, WEB_SPEC, List.of("ecommerce"), "degraded", 1, List.of(
        new AppInfo.Replica("web-1", "running", "h1"), new AppInfo.Replica("web-2", "booting", "h2")));
  }
}
