package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.MessageBody;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;

/** {@code avm cluster down-unreachable}: marks every unreachable member down. */
@Command(name = "down-unreachable", description = "Mark every unreachable member as down.")
final class ClusterDownUnreachable extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().post("/api/cluster/down-unreachable", null), MessageBody.class,
        m -> ClusterText.message(out(), m));
  }
}
