package io.actorvmm.domain.placement;

/** A host's security level must be at least the VM's. */
public final class SecurityLevelFilter implements HostFilter {

  /** Short reason prefix, followed by the level the VM needs. */
  public static final String BELOW = "below security level ";

  /** The filter's name. */
  @Override
  public String name() {
    return "security";
  }

  /** null when the host is secure enough, else its level and the VM's. */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    int needed = r.spec().securityLevel();
    int has = h.spec().securityLevel();
    return has >= needed ? null : "security level " + has + " is " + BELOW + needed;
  }

  /** "below security level N": hosts of different levels group together under the level the VM needs. */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    return reject(r, h) == null ? null : BELOW + r.spec().securityLevel();
  }
}
