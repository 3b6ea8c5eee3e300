package io.actorvmm.domain.whatif;

/**
 * A change to try: a host lost, a host drained, a rule added to an application of a service
 * (replicas on distinct hosts, or at most {@code count} per host), or {@code count} more replicas of
 * an application. Fields a kind does not use are null or 0.
 */
public record Scenario(Kind kind, String hostId, String service, String app, int count) {

  /** The kinds of change. */
  public enum Kind { HOST_LOST, HOST_DRAINED, DISTINCT_HOSTS, MAX_PER_HOST, MORE_REPLICAS }

  /** {@code hostId} fails: its VMs restart elsewhere where their data allows. */
  public static Scenario hostLost(String hostId) {
    return new Scenario(Kind.HOST_LOST, hostId, null, null, 0);
  }

  /** {@code hostId} goes into maintenance: its VMs move elsewhere with their data. */
  public static Scenario hostDrained(String hostId) {
    return new Scenario(Kind.HOST_DRAINED, hostId, null, null, 0);
  }

  /** Replicas of {@code app} in {@code service} must run on distinct hosts. */
  public static Scenario distinctHosts(String service, String app) {
    return new Scenario(Kind.DISTINCT_HOSTS, null, service, app, 0);
  }

  /** At most {@code n} VMs of {@code app} in {@code service} per host. */
  public static Scenario maxPerHost(String service, String app, int n) {
    return new Scenario(Kind.MAX_PER_HOST, null, service, app, n);
  }

  /** {@code n} more replicas of {@code app} in {@code service}. */
  public static Scenario moreReplicas(String service, String app, int n) {
    return new Scenario(Kind.MORE_REPLICAS, null, service, app, n);
  }

  /** The scenario in words: "host h1 lost". */
  public String describe() {
    if (kind == null) return "no scenario";
    return switch (kind) {
      case HOST_LOST -> "host " + hostId + " lost";
      case HOST_DRAINED -> "host " + hostId + " drained";
      case DISTINCT_HOSTS -> "replicas of " + app + " in " + service + " on distinct hosts";
      case MAX_PER_HOST -> "at most " + count + " of " + app + " in " + service + " per host";
      case MORE_REPLICAS -> count + " more " + (count == 1 ? "replica" : "replicas") + " of " + app + " in " + service;
    };
  }
}
