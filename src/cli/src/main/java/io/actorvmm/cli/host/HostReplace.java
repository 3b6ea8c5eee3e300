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

/** {@code avm host replace <old> --with <new>}: drains the old host onto the new one, then retires it. */
@Command(name = "replace", description = "Replace a host: its VMs move with their data onto the new host (which "
    + "must have joined), then the old host is retired.")
final class HostReplace extends NodeCommand {
  @Parameters(paramLabel = "OLD", description = "The host to retire.")
  String oldHost;

  @Option(names = "--with", required = true, paramLabel = "NEW", description = "The host that takes its VMs.")
  String newHost;

  @Option(names = "--dry-run", description = "Only print the plan; change nothing.")
  boolean dryRun;

  @Option(names = "--live", description = "Move the VMs live.")
  boolean live;

  @Option(names = "--wait", description = "Follow until the old host is empty.")
  boolean await;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "With --wait: give up following after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    if (!Ids.valid(oldHost)) throw CliException.usage(Ids.problem("host id", oldHost));
    if (!Ids.valid(newHost)) throw CliException.usage(Ids.problem("host id", newHost));
    if (oldHost.equals(newHost)) throw CliException.usage("a host cannot replace itself");
    var body = node().post(NodeClient.path("api", "hosts", oldHost, "replace"), new DrainBody(newHost, live, dryRun));
    if (dryRun) return answer(body, WhatIfResult.class, p -> DrainText.plan(out(), p));
    int code = answer(body, DrainInfo.class, d -> {
      DrainText.plan(out(), d.plan());
      DrainText.state(out(), d);
    });
    return await ? HostWait.untilEmpty(node(), NodeClient.path("api", "hosts", oldHost, "drain"), out(),
        timeoutSeconds) : code;
  }
}
