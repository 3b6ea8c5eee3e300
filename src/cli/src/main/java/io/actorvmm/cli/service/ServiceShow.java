package io.actorvmm.cli.service;

import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm service show <name>}: one service in full. */
@Command(name = "show", description = "Show one service: desired state, availability, start order, rules and applications.")
final class ServiceShow extends NodeCommand {
  @Parameters(paramLabel = "NAME", description = "The service name.")
  String name;

  @Override
  public Integer call() {
    return answer(node().get(NodeClient.path("api", "services", name)), ServiceInfo.class,
        s -> ServiceText.details(out(), s));
  }
}
