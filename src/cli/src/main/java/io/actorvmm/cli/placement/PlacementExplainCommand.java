package io.actorvmm.cli.placement;

import io.actorvmm.api.model.PlacementExplain;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.Ids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm placement explain <vm>}: the VM's last placement decision, host by host. */
@Command(name = "explain", description = {"Explain a VM's last placement decision: the summary, the policy, and for "
    + "each host whether it was chosen, passed (with its scores) or rejected (by which filter, why). A pending VM "
    + "shows why it waits."})
final class PlacementExplainCommand extends NodeCommand {
  @Parameters(paramLabel = "VM", description = "The VM id.")
  String vmId;

  @Override
  public Integer call() {
    if (!Ids.valid(vmId)) throw CliException.usage(Ids.problem("vm id", vmId));
    return answer(node().get(NodeClient.path("api", "vms", vmId, "placement")), PlacementExplain.class,
        e -> PlacementText.explain(out(), e));
  }
}
