package io.actorvmm.domain.auth;

import java.util.List;

/** The privileges: one per kind of operation, named {@code object.verb}; the user-facing text is the name itself. */
public final class Privilege {
  public static final String VM_READ = "vm.read";
  public static final String VM_CREATE = "vm.create";
  public static final String VM_START = "vm.start";
  public static final String VM_STOP = "vm.stop";
  public static final String VM_MOVE = "vm.move";
  public static final String HOST_READ = "host.read";
  public static final String HOST_DRAIN = "host.drain";
  public static final String HOST_CONFIRM_DEAD = "host.confirm-dead";
  public static final String CLUSTER_READ = "cluster.read";
  public static final String CLUSTER_LEAVE = "cluster.leave";
  public static final String CLUSTER_DOWN = "cluster.down";
  public static final String CLUSTER_REBALANCE = "cluster.rebalance";
  public static final String SERVICE_READ = "service.read";
  public static final String SERVICE_DEFINE = "service.define";
  public static final String SERVICE_START = "service.start";
  public static final String SERVICE_STOP = "service.stop";
  public static final String AUDIT_READ = "audit.read";
  public static final String TOKEN_MANAGE = "token.manage";
  public static final String USER_MANAGE = "user.manage";
  // reserved for the broker, the console and the advisor: no route needs them yet
  public static final String SESSION_OPEN = "session.open";
  public static final String SESSION_KILL = "session.kill";
  public static final String CONSOLE_VIEW = "console.view";
  public static final String CONSOLE_CONTROL = "console.control";
  public static final String ADVISOR_APPLY = "advisor.apply";

  /** Every privilege. */
  public static final List<String> ALL = List.of(VM_READ, VM_CREATE, VM_START, VM_STOP, VM_MOVE, HOST_READ, HOST_DRAIN,
      HOST_CONFIRM_DEAD, CLUSTER_READ, CLUSTER_LEAVE, CLUSTER_DOWN, CLUSTER_REBALANCE, SERVICE_READ, SERVICE_DEFINE,
      SERVICE_START, SERVICE_STOP, AUDIT_READ, TOKEN_MANAGE, USER_MANAGE, SESSION_OPEN, SESSION_KILL, CONSOLE_VIEW,
      CONSOLE_CONTROL, ADVISOR_APPLY);

  private Privilege() {}

  /** True when {@code name} is a privilege. */
  public static boolean known(String name) {
    return ALL.contains(name);
  }
}
