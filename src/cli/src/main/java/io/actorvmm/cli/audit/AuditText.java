package io.actorvmm.cli.audit;

import io.actorvmm.api.model.AuditEntry;
import io.actorvmm.cli.Table;
import java.io.PrintWriter;
import java.util.List;

/** How journal entries read as text. */
final class AuditText {
  private AuditText() {}

  /** TIME ENTITY EVENT WHO, in journal order. */
  static void entries(PrintWriter out, List<AuditEntry> entries) {
    Table t = new Table("TIME", "ENTITY", "EVENT", "WHO");
    for (AuditEntry e : entries) t.row(e.at(), e.entity(), e.event(), e.who());
    t.print(out, "no events");
  }
}
