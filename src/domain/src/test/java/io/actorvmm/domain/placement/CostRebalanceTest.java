package io.actorvmm.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.CostRebalance.Host;
import io.actorvmm.domain.placement.CostRebalance.Move;
import io.actorvmm.domain.placement.CostRebalance.NotMoved;
import io.actorvmm.domain.placement.CostRebalance.Plan;
import io.actorvmm.domain.placement.CostRebalance.Vm;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rebalancing by cost: a VM goes where it runs cheaper when the saving over the horizon pays for its
 * transfer, never past a filter, largest net saving first, at most max-moves per step.
 */
class CostRebalanceTest {
  private static final PlacementEngine ENGINE = PlacementEngine.standard();
  // per GiB transferred, charged by the source and the target alike: a 10 GiB disk costs 10 x (0.1 + 0.1) = 2.00
  private static final double TRANSFER = 0.1;
  // 2 cores: 7.20 per hour on "pricey", 0.72 on "cheap"
  private static final CostRates PRICEY = new CostRates(0.001, 0, TRANSFER);
  private static final CostRates CHEAP = new CostRates(0.0001, 0, TRANSFER);

  private static Host host(String id, CostRates rates) {
    return host(id, "local", 1, rates);
  }

  private static Host host(String id, String site, int security, CostRates rates) {
    return new Host(new HostSpec(id, new Resources(8, 16384, 100, 1000), List.of("qemu"), site, security, rates),
        HostStatus.UP);
  }

  private static VmSpec vm(int cpu) {
    return new VmSpec(cpu, 1024, 10, 10, "qemu", "img", true, 1);
  }

  private static Vm running(String id, VmSpec spec, String host) {
    return new Vm(new PlacementRequest(id, spec, null, Set.of()), host, true);
  }

  private static Plan plan(List<Host> hosts, List<Vm> vms, int maxMoves) {
    return CostRebalance.plan(ENGINE, hosts, vms, maxMoves, CostRebalance.DEFAULT_HORIZON_HOURS);
  }

  @Test
  void aVmOnAnExpensiveHostMovesToACheapOne() {
    Plan p = plan(List.of(host("pricey", PRICEY), host("cheap", CHEAP)), List.of(running("vm-1", vm(2), "pricey")), 5);

    assertEquals(1, p.moves().size(), p::toString);
    Move m = p.moves().get(0);
    assertEquals("vm-1 pricey cheap", m.vmId() + " " + m.fromHost() + " " + m.toHost());
    assertEquals(7.2, m.costBefore(), 1e-9);
    assertEquals(0.72, m.costAfter(), 1e-9);
    assertEquals(2.0, m.transferCost(), 1e-9);
    assertEquals((7.2 - 0.72) * 24 - 2.0, m.netSaving(), 1e-9);
    assertEquals("7.20/h → 0.72/h, transfer 2.00, net saving 153.52 over 24 h", m.detail(p.horizonHours()));
    assertEquals(7.2, p.costBefore(), 1e-9);
    assertEquals(0.72, p.costAfter(), 1e-9);
    assertEquals("no further running, relocatable VM has a cheaper host", p.summary());
    assertEquals(List.of(), p.notMoved());
  }

  @Test
  void theTransferIsChargedByBothEnds() {
    VmSpec spec = vm(2);
    assertEquals(10 * (0.1 + 0.3), CostRebalance.transferCost(spec, new CostRates(0, 0, 0.1), new CostRates(0, 0, 0.3)),
        1e-9);
    assertEquals(0, CostRebalance.transferCost(spec, CostRates.FREE, null), 1e-9);
  }

  @Test
  void aMoveWhoseTransferIsNotPaidBackWithinTheHorizonIsNotPlanned() {
    // 0.72/h -> 0.648/h saves 0.072/h: 1.728 over 24 h, less than the 2.00 transfer; 3.456 over 48 h pays
    List<Host> hosts = List.of(host("a", CHEAP), host("b", new CostRates(0.00009, 0, TRANSFER)));
    List<Vm> vms = List.of(running("vm-1", vm(2), "a"));

    Plan p = plan(hosts, vms, 5);

    assertEquals(List.of(), p.moves());
    assertEquals("no move pays for its transfer within 24 h", p.summary());
    assertEquals(1, p.notMoved().size());
    NotMoved n = p.notMoved().get(0);
    assertEquals("vm-1 a b", n.vmId() + " " + n.fromHost() + " " + n.toHost());
    assertEquals("0.72/h → 0.648/h saves 1.73 over 24 h, which does not pay for the transfer of 2.00", n.reason());
    assertEquals(p.costBefore(), p.costAfter(), 1e-12);

    Plan longer = CostRebalance.plan(ENGINE, hosts, vms, 5, 48);
    assertEquals(1, longer.moves().size(), longer::toString);
    assertEquals(0.072 * 48 - 2.0, longer.moves().get(0).netSaving(), 1e-9);
    assertEquals("no further running, relocatable VM has a cheaper host", longer.summary());
  }

  @Test
  void aCheaperHostBelowTheVmsSecurityLevelIsNotChosenAndThePlanSaysWhy() {
    VmSpec secret = new VmSpec(2, 1024, 10, 10, "qemu", "img", true, 2);
    List<Vm> vms = List.of(new Vm(new PlacementRequest("vm-1", secret, null, Set.of()), "pricey", true));

    Plan refused = plan(List.of(host("pricey", "local", 2, PRICEY), host("cheap", "local", 1, CHEAP)), vms, 5);

    assertEquals(List.of(), refused.moves());
    assertEquals("no cheaper host takes a VM under the rules", refused.summary());
    assertEquals(new NotMoved("vm-1", "pricey", "cheap",
        "costs 0.72/h instead of 7.20/h, but the security rule refuses it: security level 1 is below security level 2"),
        refused.notMoved().get(0));

    // a host secure enough that costs a little more is taken instead
    Plan p = plan(List.of(host("pricey", "local", 2, PRICEY), host("cheap", "local", 1, CHEAP),
        host("middle", "local", 3, new CostRates(0.0002, 0, TRANSFER))), vms, 5);
    assertEquals(1, p.moves().size(), p::toString);
    assertEquals("middle", p.moves().get(0).toHost());
  }

  @Test
  void aLocalOnlyVmStaysOffACheaperRemoteSite() {
    VmSpec local = vm(2).withSite(null, true);
    Plan p = plan(List.of(host("pricey", PRICEY), host("far", "s2", 1, CHEAP)),
        List.of(running("vm-1", local, "pricey"), running("vm-2", vm(1), "pricey")), 5);

    // the VM that may go remote does; the local-only one stays, with the site rule's reason
    assertEquals(1, p.moves().size(), p::toString);
    assertEquals("vm-2 far", p.moves().get(0).vmId() + " " + p.moves().get(0).toHost());
    assertEquals("no further cheaper host takes a VM under the rules", p.summary());
    NotMoved n = p.notMoved().get(0);
    assertEquals("vm-1 far", n.vmId() + " " + n.toHost());
    assertTrue(n.reason().endsWith("but the site rule refuses it: is on remote site s2, the VM takes local sites only"),
        n::toString);
  }

  @Test
  void aMoveThatBreaksAntiAffinityIsNotPlanned() {
    List<Vm> vms = List.of(
        new Vm(new PlacementRequest("web-1", vm(2), "web", Set.of("web")), "pricey", true),
        new Vm(new PlacementRequest("web-2", vm(2), "web", Set.of("web")), "cheap", true));

    Plan p = plan(List.of(host("pricey", PRICEY), host("cheap", CHEAP)), vms, 5);

    assertEquals(List.of(), p.moves());
    NotMoved n = p.notMoved().get(0);
    assertEquals("web-1 cheap", n.vmId() + " " + n.toHost());
    assertTrue(n.reason().contains("the distinct-hosts rule refuses it: broke anti-affinity of web"), n::toString);
  }

  @Test
  void aCheapHostThatIsFullOrNotUpTakesNothing() {
    Host full = new Host(new HostSpec("full", new Resources(2, 16384, 100, 1000), List.of("qemu"), "local", 1, CHEAP),
        HostStatus.UP);
    Host down = new Host(new HostSpec("down", new Resources(8, 16384, 100, 1000), List.of("qemu"), "local", 1,
        CostRates.FREE), HostStatus.DOWN);
    Plan p = plan(List.of(host("pricey", PRICEY), full, down),
        List.of(running("vm-1", vm(2), "pricey"), running("vm-2", vm(4), "pricey"), running("vm-3", vm(2), "full")), 5);

    // vm-2 needs 4 cores, the full host has none free; vm-1 needs 2 and finds none either
    assertEquals(List.of(), p.moves(), p::toString);
    assertTrue(p.notMoved().stream().allMatch(n -> n.toHost().equals("full") && n.reason().contains("lacked cpu")),
        p::toString);
  }

  @Test
  void theLargestNetSavingGoesFirstAndTheStepsBoundHolds() {
    List<Vm> vms = new ArrayList<>();
    vms.add(running("small", vm(1), "pricey"));
    vms.add(running("big", vm(4), "pricey"));
    vms.add(running("mid", vm(2), "pricey"));
    vms.add(new Vm(new PlacementRequest("pinned", vm(1), null, Set.of()), "pricey", false));

    Plan p = plan(List.of(host("pricey", PRICEY), host("cheap", CHEAP)), vms, 2);

    assertEquals(List.of("big", "mid"), p.moves().stream().map(Move::vmId).toList());
    assertEquals("stopped after 2 moves (the step's bound)", p.summary());
    assertEquals(1, p.notMovedTotal(), "the pinned VM is not listed");
    NotMoved left = p.notMoved().get(0);
    assertEquals("small", left.vmId());
    assertTrue(left.reason().endsWith("; left for a later step (the step's bound)"), left::toString);
    // the pinned VM counts in the cost but never moves
    assertEquals(8 * 3.6, p.costBefore(), 1e-9);
    assertEquals(2 * 3.6 + 6 * 0.36, p.costAfter(), 1e-9);

    Plan one = plan(List.of(host("pricey", PRICEY), host("cheap", CHEAP)), vms, 1);
    assertEquals(List.of("big"), one.moves().stream().map(Move::vmId).toList());
    assertEquals("stopped after 1 move (the step's bound)", one.summary());
  }

  @Test
  void fewerThanTwoHostsOrBadBoundsChangeNothing() {
    Plan p = plan(List.of(host("pricey", PRICEY)), List.of(running("vm-1", vm(2), "pricey")), 5);
    assertEquals("fewer than two hosts are up", p.summary());
    assertEquals(List.of(), p.moves());
    assertThrows(IllegalArgumentException.class, () -> CostRebalance.plan(ENGINE, List.of(), List.of(), 0, 24));
    assertThrows(IllegalArgumentException.class, () -> CostRebalance.plan(ENGINE, List.of(), List.of(), 1, 0));
    assertThrows(IllegalArgumentException.class, () -> CostRebalance.plan(ENGINE, List.of(), List.of(), 1, Double.NaN));
  }

  @Test
  void amountsReadAsMoney() {
    assertEquals("7.20", CostRebalance.amount(7.2));
    assertEquals("0.00", CostRebalance.amount(0));
    assertEquals("0.036", CostRebalance.amount(0.036));
    assertEquals("0.50", CostRebalance.amount(0.5));
    assertEquals("24 h", CostRebalance.hours(24));
    assertEquals("1.5 h", CostRebalance.hours(1.5));
  }
}
