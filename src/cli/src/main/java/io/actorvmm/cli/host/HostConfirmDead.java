package io.actorvmm.cli.host;

import io.actorvmm.api.model.HostInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.Ids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code avm host confirm-dead <host>}: an operator confirms that a lost host whose VMs cannot be
 * fenced from beside it (a remote hypervisor) is dead, so its VMs start elsewhere; recorded with who.
 */
@Command(name = "confirm-dead", description = "Confirm that a lost host is dead (powered off, its VMs certainly "
    + "stopped), so its VMs start elsewhere. Only for hosts whose failover waits for this.")
final class HostConfirmDead extends NodeCommand {
  @Parameters(paramLabel = "HOST", description = "The host id.")
  String hostId;

  @Override
  public Integer call() {
    if (!Ids.valid(hostId)) throw CliException.usage(Ids.problem("host id", hostId));
    return answer(node().post(NodeClient.path("api", "hosts", hostId, "confirm-dead"), null), HostInfo.class,
        h -> out().println("host " + h.hostId() + " confirmed dead: its VMs start elsewhere"));
  }
}
