package io.actorvmm.cli.app;

import io.actorvmm.api.model.AppInfo;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm app show <id>}: one application and its replicas' VMs. */
@Command(name = "show", description = "Show one application: status, VM spec, services and each replica's VM.")
final class AppShow extends NodeCommand {
  @Parameters(paramLabel = "APP", description = "The application id.")
  String appId;

  @Override
  public Integer call() {
    return answer(node().get(NodeClient.path("api", "apps", appId)), AppInfo.class, this::print);
  }

  private void print(AppInfo a) {
    PrintWriter out = out();
    new Block()
        .add("app", a.appId())
        .add("kind", a.kind())
        .add("status", a.status())
        .add("replicas", a.runningReplicas() + " of " + a.replicas() + " running")
        .add("services", Format.list(a.services()))
        .add("vm", Format.resources(a.vm()))
        .add("runtime", a.vm() == null ? null : a.vm().runtime())
        .add("image", a.vm() == null ? null : a.vm().image())
        .print(out);
    out.println();
    Table t = new Table("VM", "PHASE", "HOST");
    if (a.vms() != null) for (AppInfo.Replica r : a.vms()) t.row(r.vmId(), r.phase(), r.hostId());
    t.print(out, "no replica VMs");
  }
}
