package io.actorvmm.cli.host;

import io.actorvmm.api.model.HostInfo;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm host show <id>}: one host in full. */
@Command(name = "show", description = "Show one host: status, site, runtimes, capacity, use, costs and VMs.")
final class HostShow extends NodeCommand {
  @Parameters(paramLabel = "HOST", description = "The host id.")
  String hostId;

  @Override
  public Integer call() {
    return answer(node().get(NodeClient.path("api", "hosts", hostId)), HostInfo.class, h -> new Block()
        .add("host", h.hostId())
        .add("status", h.status())
        .addIfPresent("reason", h.statusReason())
        .add("site", h.site())
        .add("security level", h.securityLevel())
        .add("runtimes", Format.list(h.runtimes()))
        .add("capacity", Format.resources(h.capacity()))
        .add("used", Format.resources(h.used()))
        .add("free", Format.resources(h.free()))
        .add("costs", Format.costs(h.costRates()))
        .add("vms", Format.list(h.vms()))
        .addIfPresent("unmanaged", h.unmanaged() == null || h.unmanaged().isEmpty() ? null
            : Format.list(h.unmanaged()) + " (running here, unknown to the cluster; left alone)")
        .addIfPresent("fencing", h.fencing())
        .addIfPresent("failover waits", h.failoverWaits())
        .print(out()));
  }
}
