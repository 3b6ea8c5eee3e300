package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.RebalanceInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code avm cluster rebalance [--dry-run]}: one bounded step of evening out the hosts' CPU load. */
@Command(name = "rebalance", description = "Even out CPU load across hosts in one bounded step of moves under "
    + "the rules (the busiest host's VMs to the idlest host). --dry-run prints the plan only.")
final class ClusterRebalance extends NodeCommand {
  @Option(names = "--dry-run", description = "Only print the plan; change nothing.")
  boolean dryRun;

  @Option(names = "--max-moves", paramLabel = "N", defaultValue = "5",
      description = "At most this many moves in this step (default: ${DEFAULT-VALUE}).")
  int maxMoves;

  @Override
  public Integer call() {
    if (maxMoves < 1) throw CliException.usage("--max-moves must be at least 1");
    Map<String, String> q = new LinkedHashMap<>();
    q.put("dry-run", Boolean.toString(dryRun));
    q.put("max-moves", Integer.toString(maxMoves));
    return answer(node().post("/api/cluster/rebalance" + query(q), null), RebalanceInfo.class, r -> {
      out().printf("spread of CPU load: %.1f%% now, %.1f%% after this step%s%n", r.spreadBefore(), r.spreadAfter(),
          r.dryRun() ? " (dry run)" : "");
      Table t = new Table("VM", "FROM", "TO", "OUTCOME").indent("  ");
      for (RebalanceInfo.Step s : r.moves()) t.row(s.vmId(), s.fromHost(), s.toHost(), s.outcome());
      t.print(out(), "no moves");
      out().println(r.summary());
    });
  }

  private static String query(Map<String, String> q) {
    StringBuilder b = new StringBuilder();
    q.forEach((k, v) -> b.append(b.length() == 0 ? '?' : '&').append(k).append('=').append(v));
    return b.toString();
  }
}
