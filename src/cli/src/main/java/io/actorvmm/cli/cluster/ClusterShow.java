package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.ClusterInfo;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code avm cluster show}: the members as the node sees them. */
@Command(name = "show", description = "Show the cluster's members, leader, oldest member and unreachable members.")
final class ClusterShow extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/cluster"), ClusterInfo.class, this::print);
  }

  private void print(ClusterInfo c) {
    PrintWriter out = out();
    List<String> unreachable = c.unreachable() == null ? List.of() : c.unreachable();
    new Block().add("self", c.self()).add("leader", c.leader()).add("oldest", c.oldest())
        .add("unreachable", Format.list(unreachable)).print(out);
    out.println();
    Table t = new Table("MEMBER", "STATUS", "REACHABLE", "ROLES", "UP#");
    if (c.members() != null) {
      for (ClusterInfo.Member m : c.members()) {
        t.row(m.address(), m.status(), Format.yesNo(!unreachable.contains(m.address())),
            m.roles() == null ? null : String.join(",", m.roles()), m.upNumber());
      }
    }
    t.print(out, "no members");
  }
}
