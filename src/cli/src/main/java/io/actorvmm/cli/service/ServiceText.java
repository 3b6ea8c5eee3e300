package io.actorvmm.cli.service;

import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.Table;
import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.AutoscaleRule;
import io.actorvmm.domain.service.ServiceRules;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    if (s.spec() != null) rules(out, s.spec().rules());
    out.println();
    Table t = new Table("APP", "KIND", "STATUS", "RUNNING", "VM", "AFTER");
    if (s.spec() != null) {
      for (AppRequirement a : s.spec().apps()) {
        ServiceInfo.AppStatus st = s.apps() == null ? null
            : s.apps().stream().filter(x -> a.app().equals(x.app())).findFirst().orElse(null);
        t.row(a.app(), a.kind(), st == null ? null : st.status(),
            (st == null ? 0 : st.running()) + "/" + a.replicas(),
            a.vm() == null ? null : a.vm().cpuCores() + " cpu, " + a.vm().memoryMiB() + " MiB, " + a.vm().runtime()
                + vmExtras(a.vm()),
            a.after().isEmpty() ? null : String.join(",", a.after()));
      }
    } else if (s.apps() != null) {
      for (ServiceInfo.AppStatus a : s.apps()) t.row(a.app(), null, a.status(), a.running() + "/" + a.replicas());
    }
    t.print(out, "no applications");
  }

  /** The placement rules beyond distinct hosts, under "rules:" in their own indented block. */
  static void rules(PrintWriter out, ServiceRules r) {
    Block b = new Block()
        .add("placement policy", r.placementPolicy() == null ? "cluster default" : r.placementPolicy())
        .add("max unavailable", r.maxUnavailable());
    if (!r.affinity().isEmpty()) {
      b.add("affinity", String.join("; ", r.affinity().stream().map(g -> String.join(" + ", g)).toList()));
    }
    if (!r.maxPerHost().isEmpty()) {
      List<String> limits = new ArrayList<>();
      r.maxPerHost().forEach((app, n) -> limits.add(app + " " + n));
      b.add("max per host", String.join(", ", limits));
    }
    for (AutoscaleRule a : r.autoscale()) {
      if (a != null) b.add("autoscale " + a.app(), autoscale(a));
    }
    StringWriter text = new StringWriter();
    try (PrintWriter w = new PrintWriter(text)) {
      b.print(w);
    }
    out.println("rules:");
    text.toString().lines().forEach(l -> out.println("  " + l));
  }

  /** "above 0.8 → +1, below 0.2 → -1, over 5m, 2..6 replicas". */
  static String autoscale(AutoscaleRule a) {
    return "above " + Format.number(a.upperActivity()) + " → +1, below " + Format.number(a.lowerActivity())
        + " → -1, over " + duration(a.window()) + ", " + a.minReplicas() + ".." + a.maxReplicas() + " replicas";
  }

  /** "90s", "5m", "1h30m". */
  static String duration(Duration d) {
    if (d == null) return "-";
    long s = d.getSeconds();
    if (s == 0 || s % 60 != 0) return s + "s";
    long m = s / 60;
    if (m % 60 == 0) return m / 60 + "h";
    return m >= 60 ? m / 60 + "h" + m % 60 + "m" : m + "m";
  }

  /** What a VM spec sets beyond its resources and runtime: ", site a, data replicated, priority 5". */
  static String vmExtras(VmSpec v) {
    StringBuilder b = new StringBuilder();
    if (v.site() != null) b.append(", site ").append(v.site());
    if (v.localSitesOnly()) b.append(", local sites only");
    if (v.data() != null && v.data() != DataPolicy.LOCAL) b.append(", data ").append(v.data().name().toLowerCase());
    if (v.restartPriority() > 0) b.append(", priority ").append(v.restartPriority());
    return b.toString();
  }
}
