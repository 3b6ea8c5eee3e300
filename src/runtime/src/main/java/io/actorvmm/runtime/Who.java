package io.actorvmm.runtime;

/** Names of the system's own actors, recorded as "who" on the events they cause. */
public final class Who {
  /** The host's control program. */
  public static final String AGENT = "system:host-agent";
  /** The scheduler. */
  public static final String SCHEDULER = "system:scheduler";
  /** The cluster membership monitor. */
  public static final String MONITOR = "system:cluster-monitor";
  /** The move process of a VM. */
  public static final String MOVE = "system:move";
  /** A host's drain. */
  public static final String DRAIN = "system:drain";
  /** A host's control program correcting the journal to what its virtual layer really runs. */
  public static final String RECONCILE = "system:reconcile";

  private Who() {}

  /** The service actor acting on behalf of {@code who}. */
  public static String service(String name) {
    return "system:service:" + name;
  }
}
