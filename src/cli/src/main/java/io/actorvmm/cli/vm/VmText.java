package io.actorvmm.cli.vm;

import io.actorvmm.api.model.PlacementInfo;
import io.actorvmm.api.model.VmInfo;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.Table;
import io.actorvmm.domain.VmSpec;
import java.io.PrintWriter;

/** How a VM reads as text, shared by the vm verbs. */
final class VmText {
  private VmText() {}

  /** "copying 40%" while copying, else the phase. */
  static String phase(VmInfo vm) {
    return "copying".equals(vm.phase()) ? vm.phase() + " " + vm.copyPercent() + "%" : vm.phase();
  }

  /** One line after a command: "vm web-1: placed on h1", with the reason when there is one. */
  static void summary(PrintWriter out, VmInfo vm) {
    out.println("vm " + vm.vmId() + ": " + phase(vm) + (vm.hostId() == null ? "" : " on " + vm.hostId())
        + (vm.reason() == null || vm.reason().isEmpty() ? "" : " (" + vm.reason() + ")"));
  }

  /** The whole VM: its state, spec and the explanation of its placement. */
  static void details(PrintWriter out, VmInfo vm) {
    VmSpec s = vm.spec();
    Block b = new Block()
        .add("vm", vm.vmId())
        .add("phase", phase(vm))
        .add("host", vm.hostId())
        .add("app", vm.appId())
        .addIfPresent("reason", vm.reason());
    if (s != null) {
      b.add("resources", Format.resources(s))
          .add("runtime", s.runtime())
          .add("image", s.image())
          .add("relocatable", Format.yesNo(s.relocatable()))
          .add("security level", s.securityLevel())
          .addIfPresent("site", s.site() == null ? null : s.site() + (s.localSitesOnly() ? ", local sites only" : ""))
          .addIfPresent("sites", s.site() == null && s.localSitesOnly() ? "local sites only" : null)
          .addIfPresent("data", s.data() == null ? null : s.data().name().toLowerCase())
          .addIfPresent("restart priority", s.restartPriority() > 0 ? s.restartPriority() : null);
    }
    b.addIfPresent("restart policy", vm.restart())
        .addIfPresent("restarts", vm.restart() == null ? null : vm.restarts() + " within the policy's window")
        .addIfPresent("next retry", vm.nextRetry() == null ? null : vm.nextRetry().toString())
        .addIfPresent("data loss", vm.dataUnavailable() == null ? null : "unavailable: " + vm.dataUnavailable()
            + " (start it with --from-image to begin again without it)");
    if ("pending".equals(vm.phase())) {
      b.add("waiting", "fits on no host yet; it is placed as soon as a host can take it "
          + "(see 'avm placement explain " + vm.vmId() + "')");
    }
    b.print(out);
    out.println();
    placement(out, vm.placement());
  }

  /** The placement summary, then each host's verdict. */
  static void placement(PrintWriter out, PlacementInfo p) {
    if (p == null) {
      out.println("placement: not placed yet");
      return;
    }
    out.println("placement: " + (p.summary() == null ? "-" : p.summary()));
    Table t = new Table("HOST", "VERDICT", "SCORE", "FILTER", "REASON").indent("  ");
    if (p.verdicts() != null) {
      for (PlacementInfo.Verdict v : p.verdicts()) {
        // a rejected host was filtered out before scoring: its score means nothing
        String score = "rejected".equals(v.outcome()) ? null : Format.number(v.score());
        t.row(v.hostId(), v.outcome(), score, v.filter(), v.reason());
      }
    }
    t.print(out, "no host verdicts recorded");
  }
}
