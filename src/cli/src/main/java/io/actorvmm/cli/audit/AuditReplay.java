package io.actorvmm.cli.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actorvmm.api.model.ReplayResult;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.EntityRef;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.TimeArg;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code avm audit replay <type:id> --at T}: an entity as it was at a time, rebuilt from its events. */
@Command(name = "replay", description = "Rebuild one entity from its events up to a time and show its state then.",
    footer = {"%n" + TimeArg.FORMS})
final class AuditReplay extends NodeCommand {
  @Parameters(paramLabel = "TYPE:ID", description = "The entity (vm:web-1; type host, vm, app or service).")
  String entity;

  @Option(names = "--at", required = true, paramLabel = "T", description = "The time to rebuild it at (see below).")
  String at;

  @Override
  public Integer call() {
    EntityRef ref = EntityRef.parse(entity);
    String when = TimeArg.parse("--at", at, context().env().clock()).toString();
    return answer(node().get(NodeClient.path("api", "audit", "replay", ref.toString()), Map.of("at", when)),
        ReplayResult.class, r -> {
          new Block().add("entity", r.entity()).add("at", r.at()).add("events", r.events()).print(out());
          out().println("state:");
          try {
            String state = r.state() == null || r.state().isNull() ? "(none: no events up to then)"
                : NodeClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.state());
            state.lines().forEach(l -> out().println("  " + l));
          } catch (JsonProcessingException e) {
            throw new CliException("cannot print the state: " + e.getOriginalMessage(), CliException.FAILURE, e);
          }
        });
  }
}
