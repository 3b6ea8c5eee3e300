package io.actorvmm.runtime.move;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.CostRebalance;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.runtime.host.HostEvent;
import io.actorvmm.runtime.view.Inventory;
import io.actorvmm.runtime.vm.PlacementRules;
import io.actorvmm.runtime.vm.VmEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A rebalance step over the node's read side: by load as before, by cost with each VM's own rules. */
class RebalanceTest {
  private static final EventMeta META = EventMeta.now("test");
  private static final CostRates PRICEY = new CostRates(0.001, 0, 0.1);
  private static final CostRates CHEAP = new CostRates(0.0001, 0, 0.1);

  private final Inventory inv = new Inventory();
  private long offset;

  private void host(String id, CostRates rates) {
    inv.apply(id, new HostEvent.HostRegistered(id, new HostSpec(id, new Resources(8, 16384, 100, 1000),
        List.of("simulated"), "local", 1, rates), "node", META), ++offset);
  }

  private void running(String vmId, int cpu, String app, Set<String> distinct, PlacementRules rules, String host) {
    VmSpec spec = new VmSpec(cpu, 512, 10, 10, "simulated", "img", true, 0);
    inv.apply(vmId, new VmEvent.VmCreated(vmId, spec, app, distinct, META, rules), ++offset);
    inv.apply(vmId, new VmEvent.VmPlaced(vmId, host, new PlacementDecision(vmId, host, "placed on " + host, List.of()),
        META), ++offset);
    inv.apply(vmId, new VmEvent.VmRunning(vmId, host, META), ++offset);
  }

  @Test
  void byLoadTheBusiestHostsVmGoesToTheIdlestAsBefore() {
    host("a", PRICEY);
    host("b", PRICEY);
    running("vm-1", 2, null, Set.of(), PlacementRules.NONE, "a");
    running("vm-2", 2, null, Set.of(), PlacementRules.NONE, "a");

    Rebalance.Plan p = Rebalance.plan(inv, 5);

    assertEquals(List.of(new Rebalance.Planned("vm-1", "a", "b")), p.moves());
    assertEquals(50.0, p.before(), 1e-9);
    assertEquals(0.0, p.after(), 1e-9);
    assertEquals("the load is even", p.why());
  }

  @Test
  void byCostAVmGoesWhereItCostsLessUnlessItsOwnRulesForbidIt() {
    host("pricey", PRICEY);
    host("cheap", CHEAP);
    running("web-1", 2, "web", Set.of("web"), PlacementRules.NONE, "pricey");
    running("web-2", 2, "web", Set.of("web"), PlacementRules.NONE, "cheap");
    running("api-1", 1, "api", Set.of(), new PlacementRules(Set.of(), 1, null), "pricey");
    running("api-2", 1, "api", Set.of(), PlacementRules.NONE, "cheap");
    running("solo", 1, null, Set.of(), PlacementRules.NONE, "pricey");

    CostRebalance.Plan p = Rebalance.costPlan(inv, 5, 24);

    // web-1 would break its anti-affinity, api-1 its max of one per host; solo moves
    assertEquals(List.of("solo"), p.moves().stream().map(CostRebalance.Move::vmId).toList(), p::toString);
    assertEquals(2, p.notMovedTotal(), p::toString);
    assertTrue(p.notMoved().stream().anyMatch(n -> n.vmId().equals("web-1") && n.reason().contains("distinct-hosts")),
        p::toString);
    assertTrue(p.notMoved().stream().anyMatch(n -> n.vmId().equals("api-1") && n.reason().contains("max-per-host")),
        p::toString);
  }

  @Test
  void anUnknownModeIsOneLine() {
    assertEquals(Rebalance.By.COST, Rebalance.By.parse(" Cost"));
    assertEquals(Rebalance.By.LOAD, Rebalance.By.parse("load"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rebalance.By.parse("cheapest"));
    assertEquals("by must be load or cost, not 'cheapest'", e.getMessage());
  }
}
