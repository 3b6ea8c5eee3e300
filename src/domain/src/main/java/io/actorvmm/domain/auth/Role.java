package io.actorvmm.domain.auth;

import static io.actorvmm.domain.auth.Privilege.*;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The built-in roles and the privileges each holds. */
public enum Role {
  /** Everything, including tokens and users. */
  ADMIN(Set.copyOf(Privilege.ALL)),
  /** Runs the cluster: every operation but managing tokens and users. */
  OPERATOR(Set.of(VM_READ, VM_CREATE, VM_START, VM_STOP, VM_MOVE, HOST_READ, HOST_DRAIN, HOST_CONFIRM_DEAD,
      CLUSTER_READ, CLUSTER_LEAVE, CLUSTER_DOWN, CLUSTER_REBALANCE, SERVICE_READ, SERVICE_DEFINE, SERVICE_START,
      SERVICE_STOP, AUDIT_READ, SESSION_OPEN, SESSION_KILL, CONSOLE_VIEW, CONSOLE_CONTROL, ADVISOR_APPLY)),
  /** Watches over users' sessions: reads, starts and stops VMs, kills sessions, sees and takes consoles. */
  MODERATOR(Set.of(VM_READ, VM_START, VM_STOP, HOST_READ, CLUSTER_READ, SERVICE_READ, SESSION_OPEN, SESSION_KILL,
      CONSOLE_VIEW, CONSOLE_CONTROL)),
  /** Reads everything, the audit trail included, and changes nothing. */
  VIEWER(Set.of(VM_READ, HOST_READ, CLUSTER_READ, SERVICE_READ, AUDIT_READ)),
  /** A lab or desktop user: reads VMs and services, opens sessions and uses their consoles. */
  USER(Set.of(VM_READ, SERVICE_READ, SESSION_OPEN, CONSOLE_VIEW, CONSOLE_CONTROL));

  private final Set<String> privileges;

  Role(Set<String> privileges) {
    this.privileges = privileges;
  }

  /** The privileges of this role. */
  public Set<String> privileges() {
    return privileges;
  }

  /** The role's name as users write it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code name}; IllegalArgumentException naming the roles when there is none. */
  public static Role parse(String name) {
    for (Role r : values()) if (r.label().equals(name)) return r;
    throw new IllegalArgumentException("unknown role '" + name + "': use " + names());
  }

  /** The roles' names, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", "));
  }
}
