package io.actorvmm.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a VM and the transitions allowed between its phases. PENDING is a VM that was asked
 * to start but fits on no host: it waits, with the reason, and is placed as soon as a host can take it.
 */
public enum VmPhase {
  DEFINED, PENDING, PLACED, COPYING, BOOTING, RUNNING, STOPPING, STOPPED, FAILED, DELETED;

  private static final Map<VmPhase, Set<VmPhase>> NEXT = Map.of(
      DEFINED, EnumSet.of(PLACED, PENDING, DELETED),
      PENDING, EnumSet.of(PLACED, PENDING, STOPPED, DELETED),
      PLACED, EnumSet.of(COPYING, BOOTING, FAILED, STOPPING),
      COPYING, EnumSet.of(COPYING, BOOTING, FAILED, STOPPING),
      BOOTING, EnumSet.of(RUNNING, FAILED, STOPPING),
      RUNNING, EnumSet.of(STOPPING, FAILED),
      STOPPING, EnumSet.of(STOPPED, FAILED),
      STOPPED, EnumSet.of(PLACED, PENDING, DELETED),
      FAILED, EnumSet.of(PLACED, PENDING, DELETED, STOPPED),
      DELETED, EnumSet.noneOf(VmPhase.class));

  /** True when a VM in this phase may go to {@code next}. */
  public boolean canGoTo(VmPhase next) {
    return NEXT.get(this).contains(next);
  }

  /** True while the VM holds a reservation on a host. */
  public boolean holdsHost() {
    return this == PLACED || this == COPYING || this == BOOTING || this == RUNNING || this == STOPPING;
  }

  /** The lower-case name shown to users. */
  public String label() {
    return name().toLowerCase();
  }
}
