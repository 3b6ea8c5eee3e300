package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.AddressBody;
import io.actorvmm.api.model.MessageBody;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm cluster down <address>}: marks a member down (it is removed without a graceful leave). */
@Command(name = "down", description = "Mark a member as down, removing it from the cluster.")
final class ClusterDown extends NodeCommand {
  @Parameters(paramLabel = "ADDRESS", description = "The member's address as 'cluster show' lists it (pekko://avm@host:port).")
  String address;

  @Override
  public Integer call() {
    return answer(node().post("/api/cluster/down", new AddressBody(address)), MessageBody.class,
        m -> ClusterText.message(out(), m));
  }
}
