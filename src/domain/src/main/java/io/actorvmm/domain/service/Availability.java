package io.actorvmm.domain.service;

/** How usable a service is. */
public enum Availability {
  AVAILABLE, DEGRADED, UNAVAILABLE, STOPPED;

  /** The lower-case name shown to users. */
  public String label() {
    return name().toLowerCase();
  }
}
