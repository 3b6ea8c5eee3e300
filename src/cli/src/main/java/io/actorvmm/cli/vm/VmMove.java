package io.actorvmm.cli.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.api.model.MoveBody;
import io.actorvmm.api.model.MoveInfo;
import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.GlobalOptions;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.Ids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code avm vm move <vm> [--to HOST] [--live]}: moves a running VM to another host as a persisted,
 * resumable process, and follows it: each step and the copy's percent as they happen.
 */
@Command(name = "move", description = "Move a running VM to another host (stop, copy its data, start there; "
    + "or live with --live) and follow the move until it ends. Exit 0 when it completed, 1 when it fell back.")
final class VmMove extends NodeCommand {
  @Parameters(paramLabel = "VM", description = "The VM id.")
  String vmId;

  @Option(names = "--to", paramLabel = "HOST", description = "The target host (default: the scheduler chooses).")
  String to;

  @Option(names = "--live", description = "Move it while it runs (both hosts' hypervisors must support it).")
  boolean live;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log.")
  String reason;

  @Option(names = "--no-wait", description = "Answer once the move began instead of following it.")
  boolean noWait;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "Stop following after this long (the move goes on; default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    if (!Ids.valid(vmId)) throw CliException.usage(Ids.problem("vm id", vmId));
    if (to != null && !Ids.valid(to)) throw CliException.usage(Ids.problem("host id", to));
    JsonNode started = node().post(NodeClient.path("api", "vms", vmId, "move"), new MoveBody(to, live, reason));
    if (noWait || globals.output() == GlobalOptions.Output.JSON) {
      return answer(started, MoveInfo.class, m -> out().println(MoveText.line(m)));
    }
    MoveInfo m = NodeClient.MAPPER.convertValue(started, MoveInfo.class);
    out().println("move " + m.moveId() + " of vm " + vmId + ": " + m.fromHost() + " -> " + m.toHost()
        + MoveText.started(m));
    out().flush();
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    int shownSteps = 0;
    String shownVm = null;
    while (true) {
      MoveInfo now = NodeClient.MAPPER.convertValue(node().get(NodeClient.path("api", "vms", vmId, "move")),
          MoveInfo.class);
      for (; now.moveId() == m.moveId() && shownSteps < now.steps().size(); shownSteps++) {
        out().println("  " + now.steps().get(shownSteps));
      }
      if (now.moveId() != m.moveId() || !"active".equals(now.status())) {
        out().println(MoveText.line(now));
        out().flush();
        return "completed".equals(now.status()) ? 0 : CliException.FAILURE;
      }
      VmInfo vm = NodeClient.MAPPER.convertValue(node().get(NodeClient.path("api", "vms", vmId)), VmInfo.class);
      String line = "  vm " + VmText.phase(vm) + (vm.hostId() == null ? "" : " on " + vm.hostId())
          + (vm.reason() == null ? "" : " (" + vm.reason() + ")");
      if (!line.equals(shownVm)) {
        out().println(line);
        shownVm = line;
      }
      out().flush();
      if (System.nanoTime() > deadline) {
        out().println("still moving after " + timeoutSeconds + " s; follow it with 'vm show " + vmId + "'");
        return CliException.FAILURE;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CliException.FAILURE;
      }
    }
  }
}
