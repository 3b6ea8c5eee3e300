package io.actorvmm.cli.service;

import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.Table;
import io.actorvmm.domain.service.AppRequirement;
import java.io.PrintWriter;

/** How a service reads as text, shared by the service verbs. */
final class ServiceText {
  private ServiceText() {}

  /** "ecommerce: available — all 3 applications are up". */
  static String headline(ServiceInfo s) {
    return s.name() + ": " + s.availability()
        + (s.reason() == null || s.reason().isEmpty() ? "" : " — " + s.reason());
  }

  /** The headline, then one line per application. */
  static void status(PrintWriter out, ServiceInfo s) {
    out.println(headline(s));
    Table t = new Table("APP", "STATUS", "RUNNING").indent("  ");
    if (s.apps() != null) for (ServiceInfo.AppStatus a : s.apps()) t.row(a.app(), a.status(), a.running() + "/" + a.replicas());
    if (!t.isEmpty()) t.print(out);
  }

  /** The whole service: desired state, availability, start order, rules and each application. */
  static void details(PrintWriter out, ServiceInfo s) {
    new Block()
        .add("service", s.name())
        .add("desired", s.desired())
        .add("availability", s.availability())
        .addIfPresent("reason", s.reason())
        .add("start order", Format.startOrder(s.startOrder()))
        .add("distinct hosts", s.spec() == null ? null : Format.list(s.spec().rules().distinctHosts()))
        .print(out);
    out.println();
    Table t = new Table("APP", "KIND", "STATUS", "RUNNING", "VM", "AFTER");
    if (s.spec() != null) {
      for (AppRequirement a : s.spec().apps()) {
        ServiceInfo.AppStatus st = s.apps() == null ? null
            : s.apps().stream().filter(x -> a.app().equals(x.app())).findFirst().orElse(null);
        t.row(a.app(), a.kind(), st == null ? null : st.status(),
            (st == null ? 0 : st.running()) + "/" + a.replicas(),
            a.vm() == null ? null : a.vm().cpuCores() + " cpu, " + a.vm().memoryMiB() + " MiB, " + a.vm().runtime(),
            a.after().isEmpty() ? null : String.join(",", a.after()));
      }
    } else if (s.apps() != null) {
      for (ServiceInfo.AppStatus a : s.apps()) t.row(a.app(), null, a.status(), a.running() + "/" + a.replicas());
    }
    t.print(out, "no applications");
  }
}
