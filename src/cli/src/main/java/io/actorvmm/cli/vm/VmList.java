package io.actorvmm.cli.vm;

import com.fasterxml.jackson.core.type.TypeReference;
import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code avm vm list}: every VM with its phase and host. */
@Command(name = "list", description = "List every VM with its phase, host, application, CPU and memory.")
final class VmList extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/vms"), new TypeReference<List<VmInfo>>() {}, vms -> {
      Table t = new Table("VM", "PHASE", "HOST", "APP", "CPU", "MEMORY");
      for (VmInfo vm : vms) {
        t.row(vm.vmId(), VmText.phase(vm), vm.hostId(), vm.appId(),
            vm.spec() == null ? null : vm.spec().cpuCores(),
            vm.spec() == null ? null : vm.spec().memoryMiB() + " MiB");
      }
      t.print(out(), "no vms");
      // a pending VM waits for a host: say why under the table, so the columns stay as they are
      for (VmInfo vm : vms) {
        if ("pending".equals(vm.phase())) {
          out().println("pending " + vm.vmId() + ": " + (vm.reason() == null ? "waits for a host" : vm.reason()));
        }
      }
    });
  }
}
