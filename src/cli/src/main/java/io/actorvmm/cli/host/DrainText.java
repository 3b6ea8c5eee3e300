package io.actorvmm.cli.host;

import io.actorvmm.api.model.DrainInfo;
import io.actorvmm.cli.Table;
import io.actorvmm.domain.whatif.Move;
import io.actorvmm.domain.whatif.ServiceImpact;
import io.actorvmm.domain.whatif.Unplaced;
import io.actorvmm.domain.whatif.WhatIfResult;
import java.io.PrintWriter;

/** How a drain's plan and state read as text. */
final class DrainText {
  private DrainText() {}

  /** The plan: its summary, the moves in waves, what cannot move and why, the services' availability. */
  static void plan(PrintWriter out, WhatIfResult p) {
    if (p == null) {
      out.println("plan: not available yet (the node's read side does not list the host)");
      return;
    }
    out.println("plan: " + p.summary());
    Table moves = new Table("WAVE", "VM", "APP", "FROM", "TO").indent("  ");
    for (Move m : p.moves()) moves.row(m.wave(), m.vmId(), m.app(), m.fromHost(), m.toHost());
    moves.print(out, "no VM moves");
    if (!p.unplaced().isEmpty()) {
      out.println("cannot move now:");
      Table t = new Table("VM", "APP", "WHY").indent("  ");
      for (Unplaced u : p.unplaced()) t.row(u.vmId(), u.app(), u.reason());
      t.print(out);
    }
    if (!p.services().isEmpty()) {
      out.println("services:");
      Table t = new Table("SERVICE", "BEFORE", "DURING", "AFTER").indent("  ");
      for (ServiceImpact s : p.services()) {
        t.row(s.service(), s.before().availability().label(), s.during().availability().label() + " ("
            + s.during().reason() + ")", s.after().availability().label());
      }
      t.print(out);
    }
  }

  /** The drain's state: status, the VMs left, moving and waiting with why. */
  static void state(PrintWriter out, DrainInfo d) {
    out.println("host " + d.hostId() + ": " + d.status() + (d.reason() == null ? "" : " (" + d.reason() + ")"));
    out.println("vms left: " + d.remaining().size() + (d.moving().isEmpty() ? "" : ", moving: "
        + String.join(", ", d.moving())));
    if (!d.waiting().isEmpty()) {
      Table t = new Table("WAITING", "WHY").indent("  ");
      d.waiting().forEach(t::row);
      t.print(out);
    }
  }
}
