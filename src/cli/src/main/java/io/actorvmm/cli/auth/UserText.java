package io.actorvmm.cli.auth;

import io.actorvmm.api.model.GrantBody;
import io.actorvmm.api.model.UserInfo;
import java.util.List;
import java.util.stream.Collectors;

/** How users read as text. */
final class UserText {
  private UserText() {}

  /** "operator on /, viewer on /services/shop", or "no grants". */
  static String grants(List<GrantBody> grants) {
    if (grants == null || grants.isEmpty()) return "no grants";
    return grants.stream().map(g -> g.role() + " on " + g.path()).collect(Collectors.joining(", "));
  }

  /** One line for a user. */
  static String line(UserInfo u) {
    return "user " + u.name() + ": " + grants(u.grants());
  }
}
