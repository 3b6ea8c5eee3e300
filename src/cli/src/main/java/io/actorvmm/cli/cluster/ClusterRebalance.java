package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.RebalanceInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import io.actorvmm.domain.placement.CostRebalance;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code avm cluster rebalance [--by load|cost] [--max-moves N] [--horizon-hours H] [--dry-run]}: one
 * bounded step of evening out the hosts' CPU load, or of moving VMs to where they cost less to run.
 */
@Command(name = "rebalance", description = "One bounded step of moves under the rules: --by load (default) evens "
    + "out CPU load (the busiest host's VMs to the idlest host); --by cost moves VMs to hosts where they cost less "
    + "to run, largest net saving first, when the saving within --horizon-hours pays for copying their data. "
    + "--dry-run prints the plan only.")
final class ClusterRebalance extends NodeCommand {
  @Option(names = "--dry-run", description = "Only print the plan; change nothing.")
  boolean dryRun;

  @Option(names = "--by", paramLabel = "load|cost", defaultValue = "load",
      description = "What to even out: load (CPU use) or cost (what the VMs cost to run; default: ${DEFAULT-VALUE}).")
  String by;

  @Option(names = "--max-moves", paramLabel = "N", defaultValue = "5",
      description = "At most this many moves in this step (default: ${DEFAULT-VALUE}).")
  int maxMoves;

  @Option(names = "--horizon-hours", paramLabel = "H", defaultValue = "24",
      description = "By cost: a move's saving within this many hours must pay for its transfer "
          + "(default: ${DEFAULT-VALUE}).")
  double horizonHours;

  @Override
  public Integer call() {
    String mode = by == null ? "" : by.trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("load") && !mode.equals("cost")) throw CliException.usage("--by must be load or cost, not '" + by + "'");
    if (maxMoves < 1) throw CliException.usage("--max-moves must be at least 1");
    if (!(horizonHours > 0) || Double.isInfinite(horizonHours)) throw CliException.usage("--horizon-hours must be above zero");
    Map<String, String> q = new LinkedHashMap<>();
    q.put("dry-run", Boolean.toString(dryRun));
    q.put("max-moves", Integer.toString(maxMoves));
    if (mode.equals("cost")) {
      q.put("by", mode);
      q.put("horizon-hours", Double.toString(horizonHours));
    }
    return answer(node().post("/api/cluster/rebalance" + query(q), null), RebalanceInfo.class, r -> {
      if ("cost".equals(r.by())) {
        printByCost(r);
        return;
      }
      out().printf("spread of CPU load: %.1f%% now, %.1f%% after this step%s%n", r.spreadBefore(), r.spreadAfter(),
          r.dryRun() ? " (dry run)" : "");
      Table t = new Table("VM", "FROM", "TO", "OUTCOME").indent("  ");
      for (RebalanceInfo.Step s : r.moves()) t.row(s.vmId(), s.fromHost(), s.toHost(), s.outcome());
      t.print(out(), "no moves");
      out().println(r.summary());
    });
  }

  private void printByCost(RebalanceInfo r) {
    double horizon = r.horizonHours() == null ? CostRebalance.DEFAULT_HORIZON_HOURS : r.horizonHours();
    out().println("cost of running VMs: " + amount(r.costBefore()) + "/h now, " + amount(r.costAfter())
        + "/h after this step" + (r.dryRun() ? " (dry run)" : ""));
    Table t = new Table("VM", "FROM", "TO", "COST/H NOW", "AFTER", "TRANSFER",
        "NET OVER " + CostRebalance.hours(horizon).toUpperCase(Locale.ROOT), "OUTCOME").indent("  ");
    for (RebalanceInfo.Step s : r.moves()) {
      t.row(s.vmId(), s.fromHost(), s.toHost(), amount(s.costBefore()), amount(s.costAfter()), amount(s.transferCost()),
          amount(s.netSaving()), s.outcome());
    }
    t.print(out(), "no moves");
    if (!r.notMoved().isEmpty()) {
      int total = r.notMovedTotal() == null ? r.notMoved().size() : r.notMovedTotal();
      out().println("not moved although a cheaper host is up" + (total > r.notMoved().size()
          ? " (" + r.notMoved().size() + " of " + total + ")" : "") + ":");
      Table n = new Table("VM", "FROM", "CHEAPER", "WHY").indent("  ");
      for (RebalanceInfo.NotMoved m : r.notMoved()) n.row(m.vmId(), m.fromHost(), m.toHost(), m.reason());
      n.print(out());
    }
    out().println(r.summary());
  }

  private static String amount(Double x) {
    return x == null ? "-" : CostRebalance.amount(x);
  }

  private static String query(Map<String, String> q) {
    StringBuilder b = new StringBuilder();
    q.forEach((k, v) -> b.append(b.length() == 0 ? '?' : '&').append(k).append('=').append(v));
    return b.toString();
  }
}
