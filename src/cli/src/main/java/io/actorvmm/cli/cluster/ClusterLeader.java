package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.LeaderInfo;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;

/** {@code avm cluster leader}: the current leader's address. */
@Command(name = "leader", description = "Print the current leader's address.")
final class ClusterLeader extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/cluster/leader"), LeaderInfo.class,
        l -> out().println(l.leader() == null ? "no leader at the moment" : l.leader()));
  }
}
