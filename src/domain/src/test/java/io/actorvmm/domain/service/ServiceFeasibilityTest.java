package io.actorvmm.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceFeasibilityTest {

  private static HostSpec host(String id, List<String> runtimes, int level) {
    return new HostSpec(id, new Resources(8, 8192, 100, 1000), runtimes, "local", level, CostRates.FREE);
  }

  private static final List<HostSpec> HOSTS = List.of(host("h1", List.of("qemu"), 1), host("h2", List.of("qemu"), 0),
      host("h3", List.of("process"), 2));

  private static ServiceSpec web(int replicas, VmSpec vm, ServiceRules rules) {
    return new ServiceSpec("s", List.of(new AppRequirement("web", "web", replicas, vm, List.of())), rules);
  }

  private static final VmSpec QEMU = new VmSpec(1, 1024, 10, 10, "qemu", "img", true, 0);

  record Case(String name, ServiceSpec spec, List<HostSpec> hosts, String problem) {}

  @Test
  void refusesWhatTheHostsCanNeverHold() {
    List<Case> cases = List.of(
        new Case("fits", web(2, QEMU, new ServiceRules(List.of("web"))), HOSTS, null),
        new Case("no hosts yet: nothing to judge", web(9, QEMU, new ServiceRules(List.of("web"))), List.of(), null),
        new Case("more distinct replicas than hosts able", web(3, QEMU, new ServiceRules(List.of("web"))), HOSTS,
            "app web needs 3 replicas on distinct hosts but only 2 hosts can hold it"),
        new Case("security level leaves one host", web(2, new VmSpec(1, 1024, 10, 10, "qemu", "img", true, 1),
            new ServiceRules(List.of("web"))), HOSTS,
            "app web needs 2 replicas on distinct hosts but only 1 host can hold it"),
        new Case("no host offers the runtime", web(1, new VmSpec(1, 1024, 10, 10, "libvirt", "img", true, 0),
            ServiceRules.NONE), HOSTS,
            "app web can never run: no host offers runtime libvirt with security level 0 and room for 1 cpu, "
                + "1024 MiB memory, 10 GiB disk"),
        new Case("bigger than every host", web(1, new VmSpec(16, 1024, 10, 10, "qemu", "img", true, 0),
            ServiceRules.NONE), HOSTS,
            "app web can never run: no host offers runtime qemu with security level 0 and room for 16 cpu, "
                + "1024 MiB memory, 10 GiB disk"),
        new Case("max per host", web(5, QEMU, ServiceRules.NONE.withMaxPerHost("web", 2)), HOSTS,
            "app web needs 5 replicas at most 2 per host but only 2 hosts can hold it"),
        new Case("max per host that fits", web(4, QEMU, ServiceRules.NONE.withMaxPerHost("web", 2)), HOSTS, null),
        new Case("autoscaling beyond the distinct hosts", web(1, QEMU, new ServiceRules(List.of("web"))
            .withAutoscale(new AutoscaleRule("web", 80, 20, Duration.ofMinutes(1), 1, 3))), HOSTS,
            "app web may scale to 3 replicas on distinct hosts but only 2 hosts can hold it"));
    for (Case c : cases) assertEquals(c.problem(), ServiceFeasibility.problem(c.spec(), c.hosts()), c.name());
  }
}
