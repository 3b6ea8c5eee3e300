package io.actorvmm.runtime.auth;

import io.actorvmm.domain.auth.Grant;
import io.actorvmm.runtime.CborSerializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A user: a principal that owns API tokens, with its grants. The user {@link #ADMIN} is built in: it
 * always holds admin on /, and the first start of a data directory issues it a token.
 */
public record UserState(String name, boolean exists, List<Grant> grants) implements CborSerializable {
  /** The built-in administrator. */
  public static final String ADMIN = "admin";
  /** The administrator's grant, which cannot be taken back. */
  public static final Grant ADMIN_GRANT = new Grant("admin", "/");

  /** Copies the grants. */
  public UserState {
    grants = List.copyOf(grants);
  }

  /** A user never created (the built-in admin exists from the start). */
  public static UserState empty(String name) {
    return ADMIN.equals(name) ? new UserState(name, true, List.of(ADMIN_GRANT)) : new UserState(name, false, List.of());
  }

  /** The state after {@code e}. */
  public UserState apply(UserEvent e) {
    List<Grant> g = new ArrayList<>(grants);
    if (e instanceof UserEvent.UserCreated) return new UserState(name, true, grants);
    if (e instanceof UserEvent.RoleGranted r) {
      if (!g.contains(r.grant())) g.add(r.grant());
      return new UserState(name, exists, g);
    }
    if (e instanceof UserEvent.RoleRevoked r) {
      g.remove(r.grant());
      return new UserState(name, exists, g);
    }
    return this;
  }
}
