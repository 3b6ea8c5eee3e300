package io.actorvmm.cli.host;

import io.actorvmm.api.model.DrainBody;
import io.actorvmm.api.model.DrainInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.Ids;
import io.actorvmm.domain.whatif.WhatIfResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code avm host drain <host> [--dry-run]}: puts a host into Maintenance and moves its VMs away under
 * the services' rules; prints the plan first. {@code --wait} follows the drain until the host is empty.
 */
@Command(name = "drain", description = "Drain a host: the plan (which VM goes where, in which wave, which services "
    + "degrade, what cannot move and why), then the host goes into maintenance and its VMs move away. "
    + "--dry-run prints only the plan.")
final class HostDrain extends NodeCommand {
  @Parameters(paramLabel = "HOST", description = "The host id.")
  String hostId;

  @Option(names = "--dry-run", description = "Only print the plan; change nothing.")
  boolean dryRun;

  @Option(names = "--to", paramLabel = "HOST", description = "Move every VM onto this host.")
  String to;

  @Option(names = "--live", description = "Move the VMs live.")
  boolean live;

  @Option(names = "--wait", description = "Follow the drain until the host is empty (exit 1 if it stalls).")
  boolean await;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "With --wait: give up following after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    if (!Ids.valid(hostId)) throw CliException.usage(Ids.problem("host id", hostId));
    if (to != null && !Ids.valid(to)) throw CliException.usage(Ids.problem("host id", to));
    String path = NodeClient.path("api", "hosts", hostId, "drain");
    var body = node().post(path, new DrainBody(to, live, dryRun));
    if (dryRun) return answer(body, WhatIfResult.class, p -> DrainText.plan(out(), p));
    int code = answer(body, DrainInfo.class, d -> {
      DrainText.plan(out(), d.plan());
      DrainText.state(out(), d);
    });
    return await ? HostWait.untilEmpty(node(), path, out(), timeoutSeconds) : code;
  }
}
