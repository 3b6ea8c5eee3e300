package io.actorvmm.cli.app;

import com.fasterxml.jackson.core.type.TypeReference;
import io.actorvmm.api.model.AppInfo;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code avm app list}: every application with its status and replicas. */
@Command(name = "list", description = "List every application with its kind, status, running replicas and services.")
final class AppList extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/apps"), new TypeReference<List<AppInfo>>() {}, apps -> {
      Table t = new Table("APP", "KIND", "STATUS", "REPLICAS(running/wanted)", "SERVICES");
      for (AppInfo a : apps) {
        t.row(a.appId(), a.kind(), a.status(), a.runningReplicas() + "/" + a.replicas(),
            a.services() == null ? null : String.join(",", a.services()));
      }
      t.print(out(), "no applications");
    });
  }
}
