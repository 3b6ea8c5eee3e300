package io.actorvmm.domain.auth;

import io.actorvmm.domain.Ids;

/**
 * A role on an object path ({@code operator} on {@code /services/shop}): the role's privileges on that
 * object and everything below it. Paths mirror the objects: {@code /}, {@code /hosts/h1},
 * {@code /vms/web-1}, {@code /services/shop}, {@code /modules/lab}.
 */
public record Grant(String role, String path) {

  /** Checks the role and the path; IllegalArgumentException with a one-line message. */
  public Grant {
    Role.parse(role);
    String problem = pathProblem(path);
    if (problem != null) throw new IllegalArgumentException(problem);
  }

  /** True when this grant reaches {@code object}: the same path, or one below it. */
  public boolean covers(String object) {
    return path.equals("/") || object.equals(path) || object.startsWith(path + "/");
  }

  /** True when the role holds {@code privilege}. */
  public boolean holds(String privilege) {
    return Role.parse(role).privileges().contains(privilege);
  }

  @Override
  public String toString() {
    return role + " on " + path;
  }

  /** Why {@code path} is not an object path, or null when it is one. */
  public static String pathProblem(String path) {
    if (path == null || !path.startsWith("/")) return "path must start with '/', such as / or /services/shop";
    if (path.equals("/")) return null;
    for (String segment : path.substring(1).split("/", -1)) {
      if (!Ids.valid(segment)) return "path '" + path + "' must be / or /KIND/ID with segments of a-z, 0-9, '.', '_' or '-'";
    }
    return null;
  }
}
