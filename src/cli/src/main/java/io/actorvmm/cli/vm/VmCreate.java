package io.actorvmm.cli.vm;

import io.actorvmm.api.model.CreateVm;
import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.Ids;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code avm vm create <id> ...}: defines a VM (it is placed when started). */
@Command(name = "create", description = "Define a VM. It gets a host when started.")
final class VmCreate extends NodeCommand {
  @Parameters(paramLabel = "VM", description = "The new VM's id (a-z, 0-9, '.', '_', '-').")
  String vmId;

  @Option(names = "--cpu", required = true, paramLabel = "N", description = "CPU cores.")
  int cpu;

  @Option(names = "--memory", required = true, paramLabel = "MiB", description = "Memory in MiB.")
  long memory;

  @Option(names = "--disk", paramLabel = "GiB", defaultValue = "0", description = "Disk in GiB (default: ${DEFAULT-VALUE}).")
  long disk;

  @Option(names = "--network", paramLabel = "Mbit", defaultValue = "0",
      description = "Network bandwidth in Mbit/s (default: ${DEFAULT-VALUE}).")
  long network;

  @Option(names = "--runtime", required = true, paramLabel = "R", description = "The runtime type it needs (kvm, docker, ...).")
  String runtime;

  @Option(names = "--image", paramLabel = "I", description = "The image it boots.")
  String image;

  @Option(names = "--restart", paramLabel = "POLICY",
      description = "When it is found not running: always, on-failure (the default) or never.")
  String restart;

  @Option(names = "--max-restarts", paramLabel = "N", description = "Restarts in place within the window (default 3).")
  Integer maxRestarts;

  @Option(names = "--restart-window", paramLabel = "SECONDS",
      description = "The window restarts are counted in, in seconds (default 600).")
  Long restartWindowSeconds;

  @Option(names = "--pinned", description = "Never move it to another host (it is relocatable otherwise).")
  boolean pinned;

  @Option(names = "--security-level", paramLabel = "N", defaultValue = "0",
      description = "The lowest host security level it may run on (default: ${DEFAULT-VALUE}).")
  int securityLevel;

  @Override
  public Integer call() {
    CreateVm request = new CreateVm(vmId, cpu, memory, disk, network, runtime, image, !pinned, securityLevel, null,
        null, restart, maxRestarts, restartWindowSeconds == null ? null : java.time.Duration.ofSeconds(restartWindowSeconds));
    // the domain's own checks, so a bad spec is bad usage here and nothing is sent
    List<String> problems = new ArrayList<>();
    if (!Ids.valid(vmId)) problems.add(Ids.problem("vm id", vmId));
    problems.addAll(request.spec().problems());
    if (!problems.isEmpty()) throw CliException.usage(String.join("; ", problems));
    return answer(node().post("/api/vms", request), VmInfo.class, vm -> VmText.summary(out(), vm));
  }
}
