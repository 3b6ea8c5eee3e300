package io.actorvmm.cli.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code avm service list}: every service with its desired state and availability. */
@Command(name = "list", description = "List every service with its desired state, availability and reason.")
final class ServiceList extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/services"), new TypeReference<List<ServiceInfo>>() {}, services -> {
      Table t = new Table("SERVICE", "DESIRED", "AVAILABILITY", "APPS", "REASON");
      for (ServiceInfo s : services) {
        int apps = s.apps() != null ? s.apps().size() : s.spec() == null ? 0 : s.spec().apps().size();
        t.row(s.name(), s.desired(), s.availability(), apps, s.reason());
      }
      t.print(out(), "no services");
    });
  }
}
