package io.actorvmm.domain.auth;

import java.util.List;

/** Decides whether grants allow a privilege on an object, and says why. */
public final class Access {

  /** A decision: allowed or not, the grant that allowed it (null when refused), and the reason in one line. */
  public record Decision(boolean allowed, Grant by, String reason) {}

  private Access() {}

  /** The decision for {@code privilege} on {@code object} under {@code grants}. */
  public static Decision check(List<Grant> grants, String privilege, String object) {
    for (Grant g : grants) {
      if (g.covers(object) && g.holds(privilege)) {
        return new Decision(true, g, privilege + " on " + object + " is allowed by the grant " + g);
      }
    }
    String have = grants.isEmpty() ? "no grants" : "grants " + String.join(", ", grants.stream().map(Grant::toString).toList());
    return new Decision(false, null, "missing privilege " + privilege + " on " + object + " (has " + have + ")");
  }
}
