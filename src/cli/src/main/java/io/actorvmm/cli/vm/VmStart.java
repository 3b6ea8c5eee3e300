package io.actorvmm.cli.vm;

import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code avm vm start <id>}: places and boots a VM. */
@Command(name = "start", description = "Start a VM. Answers once it is placed; copying and booting follow "
    + "(watch with 'vm show').")
final class VmStart extends NodeCommand {
  @Parameters(paramLabel = "VM", description = "The VM id.")
  String vmId;

  @Option(names = "--from-image", description = "Start a VM whose data is unavailable (its host is lost, or its "
      + "data is missing) again from its image, without that data.")
  boolean fromImage;

  @Override
  public Integer call() {
    String path = NodeClient.path("api", "vms", vmId, "start") + (fromImage ? "?from-image=true" : "");
    return answer(node().post(path, null), VmInfo.class, vm -> {
      VmText.summary(out(), vm);
      if (vm.placement() != null && vm.placement().summary() != null) {
        out().println("placement: " + vm.placement().summary());
      }
    });
  }
}
