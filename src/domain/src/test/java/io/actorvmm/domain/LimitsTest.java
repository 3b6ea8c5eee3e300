package io.actorvmm.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.AutoscaleRule;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.domain.service.ServiceValidation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {
  private static final String MEGABYTE = "x".repeat(1024 * 1024);
  private static final VmSpec VM = new VmSpec(1, 1024, 10, 100, "qemu", "img", true, 0);

  /** One row: a VM spec and the problems expected. */
  record VmCase(String name, VmSpec spec, List<String> problems) {}

  private static final List<VmCase> VMS = List.of(
      new VmCase("a valid VM", VM, List.of()),
      new VmCase("largest VM", new VmSpec(Limits.MAX_CPU_CORES, Limits.MAX_MEMORY_MIB, Limits.MAX_DISK_GIB,
          Limits.MAX_NETWORK_MBIT, "kvm", "img", true, Limits.MAX_SECURITY_LEVEL), List.of()),
      new VmCase("too many cores", new VmSpec(Integer.MAX_VALUE, 1024, 10, 100, "qemu", "img", true, 0),
          List.of("cpu must be at most 1024")),
      new VmCase("too much memory, disk and network", new VmSpec(1, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
          "qemu", "img", true, 0), List.of("memory must be at most 16777216", "disk must be at most 1048576",
          "network must be at most 1000000")),
      new VmCase("a runtime of a megabyte", new VmSpec(1, 1024, 10, 100, MEGABYTE, "img", true, 0),
          List.of("runtime 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' must be 1-32 characters of a-z, 0-9, '.', '_'"
              + " or '-', starting with a letter or digit")),
      new VmCase("a runtime that is not a name", new VmSpec(1, 1024, 10, 100, "Q E M U", "img", true, 0),
          List.of("runtime 'Q E M U' must be 1-32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter"
              + " or digit")),
      new VmCase("a long image", new VmSpec(1, 1024, 10, 100, "qemu", MEGABYTE, true, 0),
          List.of("image must be at most 256 characters")),
      new VmCase("a security level too high", new VmSpec(1, 1024, 10, 100, "qemu", "img", true, 101),
          List.of("security level must be at most 100")),
      new VmCase("a long site and priority too high", VM.withSite(MEGABYTE, false).withData(DataPolicy.LOCAL, 1001),
          List.of("site must be at most 256 characters", "restart priority must be at most 1000")),
      new VmCase("a program with too many arguments", VM.withProgram(new ProgramSpec(Collections.nCopies(1001, "a"),
          null, Map.of(), null)), List.of("program command must have at most 1000 items")),
      new VmCase("a program with a long argument", VM.withProgram(new ProgramSpec(List.of("run", MEGABYTE),
          MEGABYTE, Map.of("K", MEGABYTE), "tcp:" + MEGABYTE)), List.of("program health must be at most 256 characters",
          "program workDir must be at most 131072 characters",
          "program command arguments must be at most 131072 characters each",
          "program env names must be at most 256 characters and values at most 131072")));

  @Test
  void vmSpecsStayWithinTheirLimits() {
    for (VmCase c : VMS) assertEquals(c.problems(), c.spec().problems(), c.name());
  }

  @Test
  void aServiceAsksForAtMostAThousandReplicasOfAnApp() {
    assertEquals(List.of(), ServiceValidation.problems(service(app("web", Limits.MAX_REPLICAS))));
    assertEquals(List.of("app web: replicas must be at most 1000"),
        ServiceValidation.problems(service(app("web", Integer.MAX_VALUE))));
  }

  @Test
  void aServiceHasAtMostAHundredAppsAndTenThousandReplicas() {
    List<AppRequirement> apps = new ArrayList<>();
    for (int i = 0; i < Limits.MAX_APPS + 1; i++) apps.add(app("a" + i, 1));
    assertEquals(List.of("apps must have at most 100 items"),
        ServiceValidation.problems(new ServiceSpec("shop", apps, ServiceRules.NONE)));
    List<AppRequirement> big = new ArrayList<>();
    for (int i = 0; i < 11; i++) big.add(app("a" + i, Limits.MAX_REPLICAS));
    assertEquals(List.of("replicas of all apps together must be at most 10000, not 11000"),
        ServiceValidation.problems(new ServiceSpec("shop", big, ServiceRules.NONE)));
  }

  @Test
  void aServiceRefusesLongTextAndLongListsNamingTheField() {
    assertEquals(List.of("app web: kind must be at most 256 characters"), ServiceValidation.problems(service(
        new AppRequirement("web", MEGABYTE, 1, VM, List.of()))));
    assertEquals(List.of("distinct hosts rule must have at most 1000 items"), ServiceValidation.problems(
        new ServiceSpec("shop", List.of(app("web", 1)), new ServiceRules(Collections.nCopies(1001, "web")))));
    assertEquals(List.of("placement policy must be at most 256 characters"), ServiceValidation.problems(
        new ServiceSpec("shop", List.of(app("web", 1)), ServiceRules.NONE.withPlacementPolicy(MEGABYTE))));
    assertEquals(List.of("max per host of web must be at most 1000"), ServiceValidation.problems(
        new ServiceSpec("shop", List.of(app("web", 1)), ServiceRules.NONE.withMaxPerHost("web", 1001))));
    assertEquals(List.of("autoscale web: upper and lower activity must be finite numbers"), ServiceValidation.problems(
        new ServiceSpec("shop", List.of(app("web", 1)), ServiceRules.NONE.withAutoscale(
            new AutoscaleRule("web", Double.POSITIVE_INFINITY, 0.2, null, 1, 2)))));
    assertEquals(List.of("autoscale web: max replicas must be at most 1000"), ServiceValidation.problems(
        new ServiceSpec("shop", List.of(app("web", 1)), ServiceRules.NONE.withAutoscale(
            new AutoscaleRule("web", 0.8, 0.2, null, 1, Integer.MAX_VALUE)))));
    assertEquals(List.of("max unavailable must be at most 1000"), ServiceValidation.problems(
        new ServiceSpec("shop", List.of(app("web", 1)), ServiceRules.NONE.withMaxUnavailable(Integer.MAX_VALUE))));
  }

  @Test
  void messagesRepeatAtMostFortyCharactersOfARefusedValue() {
    String problem = Ids.problem("vm id", MEGABYTE);
    assertTrue(problem.length() < 200, problem);
    String unknown = ServiceValidation.problems(service(app("web", 1, MEGABYTE))).get(0);
    assertTrue(unknown.startsWith("app web starts after unknown app xxx") && unknown.length() < 200, unknown);
    assertEquals("a b", Limits.clip("a\nb"));
  }

  private static AppRequirement app(String name, int replicas, String... after) {
    return new AppRequirement(name, "generic", replicas, VM, List.of(after));
  }

  private static ServiceSpec service(AppRequirement... apps) {
    return new ServiceSpec("shop", List.of(apps), ServiceRules.NONE);
  }
}
