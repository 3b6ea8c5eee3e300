package io.actorvmm.cli.vm;

import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm vm stop <id>}: stops a VM and frees its host's reservation. */
@Command(name = "stop", description = "Stop a VM.")
final class VmStop extends NodeCommand {
  @Parameters(paramLabel = "VM", description = "The VM id.")
  String vmId;

  @Override
  public Integer call() {
    return answer(node().post(NodeClient.path("api", "vms", vmId, "stop"), null), VmInfo.class,
        vm -> VmText.summary(out(), vm));
  }
}
