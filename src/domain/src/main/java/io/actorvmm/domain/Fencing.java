package io.actorvmm.domain;

import java.time.Duration;

/**
 * How the cluster makes sure a lost host's VMs have stopped before it starts them elsewhere, as the
 * host declares it when it registers.
 *
 * <ul>
 *   <li>{@link Mode#WATCHDOG}: a watchdog process beside the host's node, renewed every second while
 *       the node is a healthy member of the majority, stops every VM of the host (and the node) when
 *       the renewals stop for {@code timeout}. A lost host's VMs are started elsewhere only once that
 *       timeout has certainly passed since its last renewal.
 *   <li>{@link Mode#MANUAL}: the host's VMs cannot be stopped from beside it (a remote hypervisor):
 *       a lost host's VMs are started elsewhere only after an operator confirms it is dead.
 *   <li>{@link Mode#NONE}: membership alone is trusted (a node's VMs end with its process, as in
 *       tests that run nodes inside one JVM, or fencing turned off): failover starts once the host is
 *       Down.
 * </ul>
 */
public record Fencing(Mode mode, long timeoutMillis) {

  /** The ways a host can be fenced. */
  public enum Mode { WATCHDOG, MANUAL, NONE }

  /** The shortest fence timeout a host may declare. */
  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(2);
  /** The longest fence timeout a host may declare. */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  /** Membership alone, the default of hosts that declare nothing (journals written before fencing). */
  public static final Fencing NONE = new Fencing(Mode.NONE, 0);

  /** Fills the default: no mode is {@link Mode#NONE}. */
  public Fencing {
    mode = mode == null ? Mode.NONE : mode;
  }

  /** A watchdog that fences after {@code timeout} without renewal. */
  public static Fencing watchdog(Duration timeout) {
    return new Fencing(Mode.WATCHDOG, timeout.toMillis());
  }

  /** Failover only after an operator confirms the host is dead. */
  public static Fencing manual() {
    return new Fencing(Mode.MANUAL, 0);
  }

  /** The fence timeout (zero unless a watchdog fences). */
  public Duration timeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  /** The problem with this fencing as a one-line message, or null. */
  public String problem() {
    if (mode == Mode.WATCHDOG && (timeoutMillis < MIN_TIMEOUT.toMillis() || timeoutMillis > MAX_TIMEOUT.toMillis())) {
      return "fence timeout must be from " + MIN_TIMEOUT.toSeconds() + " s to " + MAX_TIMEOUT.toMinutes()
          + " min, not " + timeoutMillis + " ms";
    }
    return null;
  }

  /** How it reads in a host's description. */
  public String describe() {
    return switch (mode) {
      case WATCHDOG -> "watchdog, " + timeoutMillis + " ms";
      case MANUAL -> "manual (an operator confirms a lost host dead)";
      case NONE -> "none (membership only)";
    };
  }
}
