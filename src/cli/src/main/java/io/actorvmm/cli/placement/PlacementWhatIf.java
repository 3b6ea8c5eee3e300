package io.actorvmm.cli.placement;

import io.actorvmm.api.model.WhatIfInfo;
import io.actorvmm.api.model.WhatIfRequest;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.Ids;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code avm placement what-if ...}: runs one scenario against the live inventory, changing nothing. */
@Command(name = "what-if", description = {"Try one change against the live inventory without making it: which VMs "
    + "would move where (in which wave), which would be left without a host and why, and which services would lose "
    + "availability (before, during, after). Give exactly one scenario."})
final class PlacementWhatIf extends NodeCommand {
  private static final String SCENARIOS =
      "--lose-host H, --drain-host H, --add-rule distinct:APP, --add-rule max-per-host:APP=N or --more-replicas APP=N";

  @Option(names = "--lose-host", paramLabel = "H", description = "The host fails: its VMs restart elsewhere where their data allows.")
  String loseHost;

  @Option(names = "--drain-host", paramLabel = "H", description = "The host goes into maintenance: its VMs move elsewhere.")
  String drainHost;

  @Option(names = "--add-rule", paramLabel = "RULE",
      description = "A rule added to a service: distinct:APP (replicas on distinct hosts) or max-per-host:APP=N.")
  String rule;

  @Option(names = "--more-replicas", paramLabel = "APP=N", description = "N more replicas of APP.")
  String moreReplicas;

  @Option(names = "--service", paramLabel = "S",
      description = "The service whose rules change (default: the only service that has the app).")
  String service;

  @Override
  public Integer call() {
    WhatIfRequest request = request();
    return answer(node().post("/api/placement/what-if", request), WhatIfInfo.class, r -> PlacementText.whatIf(out(), r));
  }

  /** The scenario the options describe; any problem is bad usage and nothing is sent. */
  WhatIfRequest request() {
    List<String> given = new ArrayList<>();
    if (loseHost != null) given.add("--lose-host");
    if (drainHost != null) given.add("--drain-host");
    if (rule != null) given.add("--add-rule");
    if (moreReplicas != null) given.add("--more-replicas");
    if (given.isEmpty()) throw CliException.usage("what-if needs one scenario: " + SCENARIOS);
    if (given.size() > 1) {
      throw CliException.usage("one scenario at a time: " + String.join(" and ", given) + " were both given");
    }
    if (service != null && (loseHost != null || drainHost != null)) {
      throw CliException.usage("--service applies only to --add-rule and --more-replicas");
    }
    if (service != null) id("service name", service);
    if (loseHost != null) return WhatIfRequest.loseHost(id("host id", loseHost));
    if (drainHost != null) return WhatIfRequest.drainHost(id("host id", drainHost));
    if (moreReplicas != null) {
      String[] appCount = appCount("--more-replicas", moreReplicas, "APP=N");
      return new WhatIfRequest(WhatIfRequest.MORE_REPLICAS, null, service, appCount[0], count("--more-replicas", appCount[1]));
    }
    int colon = rule.indexOf(':');
    String name = colon < 0 ? rule.trim() : rule.substring(0, colon).trim();
    String arg = colon < 0 ? "" : rule.substring(colon + 1).trim();
    switch (name) {
      case "distinct", "distinct-hosts" -> {
        if (arg.isEmpty()) throw CliException.usage("--add-rule " + name + " needs an app: distinct:APP");
        return new WhatIfRequest(WhatIfRequest.DISTINCT_HOSTS, null, service, id("app name", arg), null);
      }
      case "max-per-host" -> {
        String[] appCount = appCount("--add-rule max-per-host", arg, "max-per-host:APP=N");
        return new WhatIfRequest(WhatIfRequest.MAX_PER_HOST, null, service, appCount[0],
            count("--add-rule max-per-host", appCount[1]));
      }
      default -> throw CliException.usage("unknown rule '" + rule + "'; use distinct:APP or max-per-host:APP=N");
    }
  }

  private static String[] appCount(String option, String text, String form) {
    int eq = text.indexOf('=');
    if (eq < 0) throw CliException.usage(option + " '" + text + "' is not " + form);
    return new String[] {id("app name", text.substring(0, eq).trim()), text.substring(eq + 1).trim()};
  }

  private static int count(String option, String text) {
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw CliException.usage(option + ": '" + text + "' is not a whole number");
    }
    if (n < 1) throw CliException.usage(option + ": the count must be at least 1, not " + n);
    return n;
  }

  private static String id(String what, String value) {
    if (!Ids.valid(value)) throw CliException.usage(Ids.problem(what, value));
    return value;
  }
}
