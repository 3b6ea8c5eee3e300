package io.actorvmm.cli.service;

import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm service status <name>}: fresh availability and each application's state. */
@Command(name = "status", description = "Check a service's availability now, with one line per application.")
final class ServiceStatus extends NodeCommand {
  @Parameters(paramLabel = "NAME", description = "The service name.")
  String name;

  @Override
  public Integer call() {
    return answer(node().get(NodeClient.path("api", "services", name, "status")), ServiceInfo.class,
        s -> ServiceText.status(out(), s));
  }
}
