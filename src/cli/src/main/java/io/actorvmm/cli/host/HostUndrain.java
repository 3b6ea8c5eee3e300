package io.actorvmm.cli.host;

import io.actorvmm.api.model.DrainInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.Ids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm host undrain <host>}: ends a drain; the host takes VMs again. */
@Command(name = "undrain", description = "End a host's drain or maintenance: it is up and takes VMs again.")
final class HostUndrain extends NodeCommand {
  @Parameters(paramLabel = "HOST", description = "The host id.")
  String hostId;

  @Override
  public Integer call() {
    if (!Ids.valid(hostId)) throw CliException.usage(Ids.problem("host id", hostId));
    return answer(node().post(NodeClient.path("api", "hosts", hostId, "undrain"), null), DrainInfo.class,
        d -> DrainText.state(out(), d));
  }
}
