package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.AddressBody;
import io.actorvmm.api.model.MessageBody;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm cluster leave <address>}: asks a member to leave gracefully. */
@Command(name = "leave", description = "Ask a member to leave the cluster gracefully.")
final class ClusterLeave extends NodeCommand {
  @Parameters(paramLabel = "ADDRESS", description = "The member's address as 'cluster show' lists it (pekko://avm@host:port).")
  String address;

  @Override
  public Integer call() {
    return answer(node().post("/api/cluster/leave", new AddressBody(address)), MessageBody.class,
        m -> ClusterText.message(out(), m));
  }
}
