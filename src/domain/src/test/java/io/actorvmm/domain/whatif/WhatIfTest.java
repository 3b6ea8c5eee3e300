package io.actorvmm.domain.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.Availability;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhatIfTest {
  private static final VmSpec REPLICATED = new VmSpec(1, 1024, 10, 100, "qemu", "img", true, 0)
      .withData(DataPolicy.REPLICATED, 0);
  private final WhatIf whatIf = WhatIf.standard();

  private static InventoryHost host(String id) {
    return new InventoryHost(new HostSpec(id, new Resources(4, 4096, 100, 1000), List.of("qemu"), "local", 1,
        CostRates.FREE), HostStatus.UP);
  }

  private static List<InventoryHost> hosts(int n) {
    List<InventoryHost> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) out.add(host("h" + i));
    return out;
  }

  private static AppRequirement app(String name, int replicas) {
    return new AppRequirement(name, "generic", replicas, REPLICATED, List.of());
  }

  private static PlacedVm vm(String id, String host, String app) {
    return new PlacedVm(id, host, REPLICATED, app);
  }

  /** The patent's Fig. 2: S1 = {APP1, APP2}, S2 = {APP1, APP3, APP4}, S3 = {APP2, APP4, APP5}, one app per host. */
  private static Inventory fig2(VmSpec app1Vm) {
    List<ServiceSpec> services = List.of(
        new ServiceSpec("s1", List.of(app("app1", 1), app("app2", 1)), ServiceRules.NONE),
        new ServiceSpec("s2", List.of(app("app1", 1), app("app3", 1), app("app4", 1)), ServiceRules.NONE),
        new ServiceSpec("s3", List.of(app("app2", 1), app("app4", 1), app("app5", 1)), ServiceRules.NONE));
    List<PlacedVm> vms = List.of(new PlacedVm("app1-1", "h1", app1Vm, "app1"), vm("app2-1", "h2", "app2"),
        vm("app3-1", "h3", "app3"), vm("app4-1", "h4", "app4"), vm("app5-1", "h5", "app5"));
    return new Inventory(hosts(6), vms, services);
  }

  @Test
  void losingTheHostOfApp1AffectsS1AndS2Only() {
    WhatIfResult r = whatIf.run(fig2(REPLICATED), Scenario.hostLost("h1"));
    assertEquals(List.of("s1", "s2"), r.services().stream().map(ServiceImpact::service).toList());
    for (ServiceImpact i : r.services()) {
      assertEquals(Availability.AVAILABLE, i.before().availability());
      assertEquals(Availability.UNAVAILABLE, i.during().availability());
      assertEquals("app1 is down (0 of 1 running)", i.during().reason());
      assertEquals(Availability.AVAILABLE, i.after().availability());
    }
    assertEquals(1, r.moves().size());
    Move m = r.moves().get(0);
    assertEquals("app1-1", m.vmId());
    assertEquals("h1", m.fromHost());
    // pack prefers a host already in use; h2 is the first of them by id
    assertEquals("h2", m.toHost());
    assertEquals(List.of(), r.unplaced());
    assertEquals("host h1 lost: 1 VM restart elsewhere, 0 left down; services s1, s2 lose availability", r.summary());
  }

  @Test
  void aVmWhoseDataLivedOnlyOnTheLostHostIsNotRestarted() {
    VmSpec local = REPLICATED.withData(DataPolicy.LOCAL, 0);
    WhatIfResult r = whatIf.run(fig2(local), Scenario.hostLost("h1"));
    assertEquals(List.of(new Unplaced("app1-1", "app1", "s1", "h1", "its data lived only on h1")), r.unplaced());
    assertEquals(List.of(), r.moves());
    assertEquals(Availability.UNAVAILABLE, r.services().get(0).after().availability());
    assertEquals(List.of("s1", "s2"), r.services().stream().map(ServiceImpact::service).toList());
  }

  @Test
  void higherRestartPriorityIsPlacedFirst() {
    VmSpec big = new VmSpec(4, 4096, 10, 100, "qemu", "img", true, 0);
    List<PlacedVm> vms = List.of(new PlacedVm("a-low", "h1", big.withData(DataPolicy.REPLICATED, 1), "low"),
        new PlacedVm("b-high", "h1", big.withData(DataPolicy.REPLICATED, 5), "high"));
    List<ServiceSpec> services = List.of(new ServiceSpec("svc", List.of(app("low", 1), app("high", 1)), ServiceRules.NONE));
    // h1 held both by over-commitment; only one fits on h2 now
    WhatIfResult r = whatIf.run(new Inventory(hosts(2), vms, services), Scenario.hostLost("h1"));
    assertEquals("b-high", r.moves().get(0).vmId());
    assertEquals("a-low", r.unplaced().get(0).vmId());
    assertTrue(r.unplaced().get(0).reason().startsWith("no host fits: 2 hosts"), r.unplaced().get(0).reason());
  }

  private static Inventory shop(List<PlacedVm> vms, ServiceRules rules, int hosts) {
    ServiceSpec shop = new ServiceSpec("shop", List.of(app("web", 2), app("db", 1)), rules);
    return new Inventory(hosts(hosts), vms, List.of(shop));
  }

  @Test
  void vmsOutsideAnyApplicationAreDrainedToo() {
    Inventory inv = shop(List.of(vm("web-1", "h1", "web"), vm("loose-1", "h1", null), vm("loose-2", "h1", null)),
        new ServiceRules(List.of("web")), 2);
    WhatIfResult r = whatIf.run(inv, Scenario.hostDrained("h1"));
    assertEquals(List.of("loose-1", "loose-2", "web-1"), r.moves().stream().map(Move::vmId).sorted().toList());
    assertTrue(r.moves().stream().allMatch(m -> m.toHost().equals("h2")), r.moves()::toString);
  }

  @Test
  void drainingAHostMovesItsVmsInWavesUnderTheRules() {
    Inventory inv = shop(List.of(vm("web-1", "h1", "web"), vm("db-1", "h1", "db"), vm("web-2", "h2", "web")),
        new ServiceRules(List.of("web")), 3);
    WhatIfResult r = whatIf.run(inv, Scenario.hostDrained("h1"));
    assertEquals(List.of(new Move("db-1", "db", "shop", "h1", "h2", 1), new Move("web-1", "web", "shop", "h1", "h3", 1)),
        r.moves());
    ServiceImpact i = r.services().get(0);
    assertEquals(Availability.AVAILABLE, i.before().availability());
    assertEquals(Availability.UNAVAILABLE, i.during().availability());
    assertEquals(Availability.AVAILABLE, i.after().availability());
    assertEquals("host h1 drained: 2 VMs move, 0 cannot move; service shop loses availability",
        r.summary());
  }

  @Test
  void aVmWithNowhereToGoStaysDuringADrain() {
    Inventory inv = shop(List.of(vm("web-1", "h1", "web"), vm("web-2", "h2", "web"), vm("db-1", "h2", "db")),
        new ServiceRules(List.of("web")), 2);
    WhatIfResult r = whatIf.run(inv, Scenario.hostDrained("h1"));
    assertEquals(1, r.unplaced().size());
    assertEquals("stays on h1: no host fits: 2 hosts, 1 broke anti-affinity of web, 1 is in maintenance",
        r.unplaced().get(0).reason());
    assertEquals(List.of(), r.services());
  }

  @Test
  void addingDistinctHostsMovesTheExtraReplicas() {
    Inventory inv = shop(List.of(vm("web-1", "h1", "web"), vm("web-2", "h1", "web"), vm("db-1", "h2", "db")),
        ServiceRules.NONE, 3);
    WhatIfResult r = whatIf.run(inv, Scenario.distinctHosts("shop", "web"));
    assertEquals(List.of(new Move("web-2", "web", "shop", "h1", "h2", 1)), r.moves());
    assertEquals(Availability.DEGRADED, r.services().get(0).during().availability());
    assertEquals(Availability.AVAILABLE, r.services().get(0).after().availability());
  }

  @Test
  void addingMaxPerHostMovesTheVmsAboveIt() {
    List<PlacedVm> vms = List.of(vm("web-1", "h1", "web"), vm("web-2", "h1", "web"), vm("web-3", "h1", "web"),
        vm("db-1", "h2", "db"));
    WhatIfResult r = whatIf.run(shop(vms, ServiceRules.NONE.withMaxUnavailable(0), 2), Scenario.maxPerHost("shop", "web", 2));
    assertEquals(List.of(new Move("web-3", "web", "shop", "h1", "h2", 1)), r.moves());
    // with max unavailable 0 nothing is down while it moves
    assertEquals(List.of(), r.services());
    assertEquals("at most 2 of web in shop per host: 1 VM move, 0 cannot move; no service loses availability", r.summary());
  }

  @Test
  void moreReplicasArePlacedOrLeftUnplacedWithTheReason() {
    Inventory inv = shop(List.of(vm("web-1", "h1", "web"), vm("web-2", "h2", "web"), vm("db-1", "h1", "db")),
        new ServiceRules(List.of("web")), 3);
    WhatIfResult r = whatIf.run(inv, Scenario.moreReplicas("shop", "web", 2));
    assertEquals(List.of(new Move("web-new-1", "web", "shop", null, "h3", 1)), r.moves());
    assertEquals("web-new-2", r.unplaced().get(0).vmId());
    assertEquals("no host fits: 3 hosts, 3 broke anti-affinity of web", r.unplaced().get(0).reason());
    ServiceImpact i = r.services().get(0);
    assertEquals(Availability.AVAILABLE, i.during().availability());
    assertEquals(Availability.DEGRADED, i.after().availability());
    assertEquals("web has 3 of 4 replicas running", i.after().reason());
  }

  @Test
  void nothingChangesInTheInventory() {
    Inventory inv = fig2(REPLICATED);
    Inventory copy = new Inventory(inv.hosts(), inv.vms(), inv.services());
    whatIf.run(inv, Scenario.hostLost("h1"));
    assertEquals(copy, inv);
  }

  @Test
  void unknownNamesAreRefusedInOneLine() {
    Inventory inv = fig2(REPLICATED);
    assertEquals("unknown host h9", assertThrows(IllegalArgumentException.class,
        () -> whatIf.run(inv, Scenario.hostLost("h9"))).getMessage());
    assertEquals("unknown service s9", assertThrows(IllegalArgumentException.class,
        () -> whatIf.run(inv, Scenario.moreReplicas("s9", "app1", 1))).getMessage());
    assertEquals("service s1 has no app app5", assertThrows(IllegalArgumentException.class,
        () -> whatIf.run(inv, Scenario.distinctHosts("s1", "app5"))).getMessage());
    assertEquals("the count must be at least 1", assertThrows(IllegalArgumentException.class,
        () -> whatIf.run(inv, Scenario.maxPerHost("s1", "app1", 0))).getMessage());
  }

  @Test
  void aCountAboveTheLimitIsRefusedBeforeAnyReplicaIsTried() {
    Inventory inv = fig2(REPLICATED);
    assertEquals("count must be at most 10000", assertThrows(IllegalArgumentException.class,
        () -> whatIf.run(inv, Scenario.moreReplicas("s1", "app1", 1_000_000))).getMessage());
    assertEquals("count must be at most 10000", assertThrows(IllegalArgumentException.class,
        () -> whatIf.run(inv, Scenario.maxPerHost("s1", "app1", Integer.MAX_VALUE))).getMessage());
  }
}
