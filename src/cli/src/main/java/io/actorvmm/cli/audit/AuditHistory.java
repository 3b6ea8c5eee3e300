package io.actorvmm.cli.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import io.actorvmm.api.model.AuditEntry;
import io.actorvmm.cli.EntityRef;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm audit history <type:id>}: one entity's events. */
@Command(name = "history", description = "List every event of one entity.")
final class AuditHistory extends NodeCommand {
  @Parameters(paramLabel = "TYPE:ID", description = "The entity (vm:web-1; type host, vm, app or service).")
  String entity;

  @Override
  public Integer call() {
    EntityRef ref = EntityRef.parse(entity);
    return answer(node().get(NodeClient.path("api", "audit", "history", ref.toString())),
        new TypeReference<List<AuditEntry>>() {}, entries -> AuditText.entries(out(), entries));
  }
}
