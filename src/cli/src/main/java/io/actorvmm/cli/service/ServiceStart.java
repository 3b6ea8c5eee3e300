package io.actorvmm.cli.service;

import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm service start <name>}: starts a service's applications in their order. */
@Command(name = "start", description = "Start a service: its applications start in dependency order.")
final class ServiceStart extends NodeCommand {
  @Parameters(paramLabel = "NAME", description = "The service name.")
  String name;

  @Override
  public Integer call() {
    return answer(node().post(NodeClient.path("api", "services", name, "start"), null), ServiceInfo.class,
        s -> ServiceText.status(out(), s));
  }
}
