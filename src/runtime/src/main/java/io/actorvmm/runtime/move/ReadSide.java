package io.actorvmm.runtime.move;

import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.whatif.InventoryHost;
import io.actorvmm.domain.whatif.PlacedVm;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.service.ServiceState;
import io.actorvmm.runtime.view.Inventory;
import io.actorvmm.runtime.vm.VmState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's inventory read side as moves, drains and failover consult it: service rules
 * (max-unavailable), the VMs in a move, and the snapshot the what-if computes plans from. It is
 * eventually consistent; the host entities keep the last word on capacity and anti-affinity.
 */
public final class ReadSide implements Extension {

  private static final ExtensionId<ReadSide> ID = new ExtensionId<>() {
    @Override
    public ReadSide createExtension(ActorSystem<?> system) {
      return new ReadSide();
    }
  };

  private volatile Supplier<Inventory> inventory = Inventory::new;

  /** This node's read side. */
  public static ReadSide get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Sets where the inventory comes from (the node's journal read side). */
  public void use(Supplier<Inventory> source) {
    inventory = source;
  }

  /** The current inventory. */
  public Inventory inventory() {
    Inventory i = inventory.get();
    return i == null ? new Inventory() : i;
  }

  /** How many replicas of {@code app} may be unavailable at once: the strictest service listing it (default 1). */
  public int maxUnavailable(String app) {
    if (app == null) return Integer.MAX_VALUE;
    int max = Integer.MAX_VALUE;
    for (ServiceState s : inventory().services()) {
      if (s.spec() != null && s.spec().app(app) != null) max = Math.min(max, s.spec().rules().maxUnavailable());
    }
    return max == Integer.MAX_VALUE ? ServiceRules.DEFAULT_MAX_UNAVAILABLE : max;
  }

  /** The VMs of {@code app} other than {@code exceptVm} that a cold move holds now. */
  public List<String> movingCold(String app, String exceptVm) {
    List<String> out = new ArrayList<>();
    if (app == null) return out;
    for (VmState v : inventory().vms()) {
      if (app.equals(v.appId()) && !v.vmId().equals(exceptVm) && v.inMove() && !v.moving().live()) out.add(v.vmId());
    }
    return out;
  }

  /** The what-if snapshot: registered hosts, VMs holding a host, and the service specs. */
  public io.actorvmm.domain.whatif.Inventory snapshot() {
    Inventory inv = inventory();
    List<InventoryHost> hosts = new ArrayList<>();
    for (HostState h : inv.hosts()) if (h.registered()) hosts.add(new InventoryHost(h.spec(), h.status()));
    List<PlacedVm> vms = new ArrayList<>();
    for (VmState v : inv.vms()) {
      if (v.exists() && v.hostId() != null && v.phase().holdsHost()) {
        vms.add(new PlacedVm(v.vmId(), v.hostId(), v.spec(), v.appId()));
      }
    }
    List<io.actorvmm.domain.service.ServiceSpec> services = new ArrayList<>();
    for (ServiceState s : inv.services()) if (s.spec() != null) services.add(s.spec());
    return new io.actorvmm.domain.whatif.Inventory(hosts, vms, services);
  }
}
