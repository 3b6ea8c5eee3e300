package io.actorvmm.cli.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import io.actorvmm.api.model.AuditEntry;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.EntityRef;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.TimeArg;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code avm audit log}: the journal, filtered. */
@Command(name = "log", description = "List journal events (time, entity, event, who) in journal order.",
    footer = {"%n" + TimeArg.FORMS})
final class AuditLog extends NodeCommand {
  @Option(names = "--since", paramLabel = "T", description = "Only events at or after T (see below).")
  String since;

  @Option(names = "--entity", paramLabel = "TYPE:ID", description = "Only one entity's events (vm:web-1; type host, vm, app or service).")
  String entity;

  @Option(names = "--limit", paramLabel = "N", description = "At most N events.")
  Integer limit;

  @Override
  public Integer call() {
    Map<String, String> query = new LinkedHashMap<>();
    if (since != null) query.put("since", TimeArg.parse("--since", since, context().env().clock()).toString());
    if (entity != null) query.put("entity", EntityRef.parse(entity).toString());
    if (limit != null) {
      if (limit < 1) throw CliException.usage("--limit must be at least 1");
      query.put("limit", limit.toString());
    }
    return answer(node().get("/api/audit", query), new TypeReference<List<AuditEntry>>() {},
        entries -> AuditText.entries(out(), entries));
  }
}
