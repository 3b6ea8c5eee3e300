package io.actorvmm.cli.host;

import com.fasterxml.jackson.core.type.TypeReference;
import io.actorvmm.api.model.HostInfo;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import io.actorvmm.domain.Resources;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code avm host list}: every host with its status and usage. */
@Command(name = "list", description = "List every host with its status, site, CPU and memory use and VM count.")
final class HostList extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/hosts"), new TypeReference<List<HostInfo>>() {}, this::print);
  }

  private void print(List<HostInfo> hosts) {
    Table t = new Table("HOST", "STATUS", "SITE", "CPU(used/total)", "MEMORY(used/total MiB)", "VMS");
    for (HostInfo h : hosts) {
      Resources used = h.used() == null ? Resources.ZERO : h.used();
      Resources cap = h.capacity();
      t.row(h.hostId(), h.status(), h.site(),
          cap == null ? null : Format.usedOfTotal(used.cpuCores(), cap.cpuCores()),
          cap == null ? null : Format.usedOfTotal(used.memoryMiB(), cap.memoryMiB()),
          h.vms() == null ? 0 : h.vms().size());
    }
    t.print(out(), "no hosts");
  }
}
