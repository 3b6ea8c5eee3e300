package io.actorvmm.cli.placement;

import io.actorvmm.api.model.PlacementExplain;
import io.actorvmm.api.model.WhatIfInfo;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How placement explanations and what-if results read as text. */
final class PlacementText {
  private PlacementText() {}

  /** The VM, its decision's summary, the policy, why it waits (when pending), then one row per host. */
  static void explain(PrintWriter out, PlacementExplain e) {
    new Block()
        .add("vm", e.vmId())
        .add("phase", e.phase())
        .addIfPresent("host", e.hostId())
        .addIfPresent("app", e.appId())
        .addIfPresent("service", e.service())
        .add("policy", e.policy() == null ? null : e.policy() + (e.policyDefault() ? " (cluster default)" : ""))
        .add("decision", e.summary())
        .addIfPresent("waiting", e.waiting() == null ? null
            : e.waiting() + "; it is placed as soon as a host can take it")
        .print(out);
    out.println();
    Table t = new Table("HOST", "OUTCOME", "SCORE", "SCORES", "FILTER", "REASON");
    for (PlacementExplain.HostRow h : e.hosts()) {
      t.row(h.hostId(), h.outcome(), h.score() == null ? null : Format.number(h.score()), scores(h.scores()),
          h.filter(), h.reason());
    }
    t.print(out, "no host verdicts recorded");
  }

  /** "pack 0.82, cost 0.4": each scorer's score in policy order. */
  static String scores(Map<String, Double> scores) {
    if (scores == null || scores.isEmpty()) return null;
    List<String> parts = new ArrayList<>();
    scores.forEach((name, score) -> parts.add(name + " " + (score == null ? "-" : Format.number(score))));
    return String.join(", ", parts);
  }

  /** The summary, then the moves by wave, the VMs left unplaced, and the services whose availability changes. */
  static void whatIf(PrintWriter out, WhatIfInfo r) {
    out.println(r.summary());
    out.println();
    if (r.moves().isEmpty()) {
      out.println("moves: none");
    } else {
      out.println("moves:");
      Table t = new Table("WAVE", "VM", "APP", "SERVICE", "FROM", "TO").indent("  ");
      for (WhatIfInfo.Move m : r.moves()) {
        t.row(m.wave(), m.vmId(), m.app(), m.service(), m.fromHost() == null ? "(new)" : m.fromHost(), m.toHost());
      }
      t.print(out);
    }
    if (r.unplaced().isEmpty()) {
      out.println("unplaced: none");
    } else {
      out.println("unplaced:");
      Table t = new Table("VM", "APP", "SERVICE", "FROM", "REASON").indent("  ");
      for (WhatIfInfo.Unplaced u : r.unplaced()) {
        t.row(u.vmId(), u.app(), u.service(), u.fromHost() == null ? "(new)" : u.fromHost(), u.reason());
      }
      t.print(out);
    }
    if (r.services().isEmpty()) {
      out.println("availability: no service changes");
      return;
    }
    out.println("availability:");
    Table t = new Table("SERVICE", "BEFORE", "DURING", "AFTER").indent("  ");
    for (WhatIfInfo.ServiceImpact s : r.services()) {
      t.row(s.service(), label(s.before()), label(s.during()), label(s.after()));
    }
    t.print(out);
    for (WhatIfInfo.ServiceImpact s : r.services()) {
      reason(out, s.service(), "during", s.during(), s.before());
      reason(out, s.service(), "after", s.after(), s.during());
    }
  }

  private static String label(WhatIfInfo.Health h) {
    return h == null ? null : h.availability();
  }

  /** "  shop after: web has no running replica", when it says something new. */
  private static void reason(PrintWriter out, String service, String when, WhatIfInfo.Health h, WhatIfInfo.Health prev) {
    if (h == null || h.reason() == null || h.reason().isEmpty() || h.equals(prev)) return;
    out.println("  " + service + " " + when + ": " + h.reason());
  }
}
