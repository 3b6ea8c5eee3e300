package io.actorvmm.cli.vm;

import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm vm show <id>}: one VM, with why it runs where it runs. */
@Command(name = "show", description = "Show one VM: phase, host, spec, and the placement explanation "
    + "(summary and each host's verdict).")
final class VmShow extends NodeCommand {
  @Parameters(paramLabel = "VM", description = "The VM id.")
  String vmId;

  @Override
  public Integer call() {
    return answer(node().get(NodeClient.path("api", "vms", vmId)), VmInfo.class, vm -> VmText.details(out(), vm));
  }
}
