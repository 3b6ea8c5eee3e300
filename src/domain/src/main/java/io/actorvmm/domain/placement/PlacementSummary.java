package io.actorvmm.domain.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The one-line, user-facing summary of a placement: where it went and how many hosts fell out for which reason. */
final class PlacementSummary {

  /** Text when there is no host at all. */
  static final String NO_HOSTS = "no host fits: no hosts are registered";
  /** Prefix when a host was chosen, followed by its id. */
  static final String PLACED_ON = "placed on ";
  /** Prefix when every host was rejected. */
  static final String NO_HOST_FITS = "no host fits: ";

  private PlacementSummary() {}

  /** "placed on h2: 3 hosts, 1 passed, 2 lacked memory" or "no host fits: 3 hosts, 2 lacked memory, 1 is down". */
  static String of(String chosenHost, int hosts, int passed, List<String> rejectionKeys) {
    Map<String, Integer> groups = new TreeMap<>();
    rejectionKeys.forEach(k -> groups.merge(k, 1, Integer::sum));
    return of(chosenHost, hosts, passed, groups);
  }

  /** The same summary from rejection counts already grouped by short reason. */
  static String of(String chosenHost, int hosts, int passed, Map<String, Integer> groups) {
    if (hosts == 0) return NO_HOSTS;
    StringBuilder out = new StringBuilder(chosenHost == null ? NO_HOST_FITS : PLACED_ON + chosenHost + ": ");
    out.append(hosts).append(hosts == 1 ? " host" : " hosts");
    // the passed count includes the chosen host, so all counts add up to the number of hosts
    if (passed > 0) out.append(", ").append(passed).append(" passed");
    return appendGroups(out, new TreeMap<>(groups));
  }

  private static String appendGroups(StringBuilder out, Map<String, Integer> groups) {
    groups.entrySet().stream()
        // biggest group first: the main reason a VM did not fit should be read first
        .sorted(Comparator.comparing(Map.Entry<String, Integer>::getValue).reversed()
            .thenComparing(Map.Entry::getKey))
        .forEach(g -> out.append(", ").append(g.getValue()).append(' ').append(plural(g.getKey(), g.getValue())));
    return out.toString();
  }

  /** The reason's verb agreeing with the count: "2 are down", "2 do not offer runtime qemu". */
  static String plural(String reason, int count) {
    if (count == 1) return reason;
    if (reason.startsWith("is ")) return "are " + reason.substring(3);
    if (reason.startsWith("does not ")) return "do not " + reason.substring(9);
    if (reason.startsWith("has ")) return "have " + reason.substring(4);
    return reason;
  }
}
