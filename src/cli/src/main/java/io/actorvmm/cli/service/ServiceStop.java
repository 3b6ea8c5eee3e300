package io.actorvmm.cli.service;

import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm service stop <name>}: stops a service's applications. */
@Command(name = "stop", description = "Stop a service and its applications.")
final class ServiceStop extends NodeCommand {
  @Parameters(paramLabel = "NAME", description = "The service name.")
  String name;

  @Override
  public Integer call() {
    return answer(node().post(NodeClient.path("api", "services", name, "stop"), null), ServiceInfo.class,
        s -> ServiceText.status(out(), s));
  }
}
