package io.actorvmm.api;

import static io.actorvmm.domain.auth.Privilege.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * THE table of the API's routes: for every method and path, the privilege it needs and the object it
 * needs it on. The API serves only what is listed here (a route missing from the table answers 404 to
 * everyone), and a test walks it with every role, so a route cannot be added without deciding who may
 * call it. {@link #PUBLIC} routes need no token; {@link #AUTHENTICATED} ones any valid token.
 */
public final class AccessTable {
  /** No token needed. */
  public static final String PUBLIC = "public";
  /** Any valid token. */
  public static final String AUTHENTICATED = "authenticated";

  /** One route: method, path pattern ({@code {x}} is one segment), privilege, object path (with the same variables). */
  public record Rule(String method, String pattern, String privilege, String object) {
    /** The route's variables when {@code segments} match its pattern, else null. */
    Map<String, String> match(String[] segments) {
      String[] p = pattern.substring(1).split("/");
      if (p.length != segments.length) return null;
      Map<String, String> vars = new HashMap<>();
      for (int i = 0; i < p.length; i++) {
        if (p[i].startsWith("{")) {
          if (segments[i].isEmpty()) return null;
          vars.put(p[i], segments[i]);
        } else if (!p[i].equals(segments[i])) {
          return null;
        }
      }
      return vars;
    }

    /** The object path with the route's variables filled in. */
    String objectFor(Map<String, String> vars) {
      String out = object;
      for (var e : vars.entrySet()) out = out.replace(e.getKey(), e.getValue());
      return out;
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  /** A request matched to its rule: the rule and the object it acts on. */
  record Match(Rule rule, String object) {}

  /** Every route of the API. */
  public static final List<Rule> RULES = List.of(
      rule("GET", "/api/cluster", CLUSTER_READ, "/"),
      rule("GET", "/api/cluster/leader", CLUSTER_READ, "/"),
      rule("GET", "/api/cluster/sharding", CLUSTER_READ, "/"),
      rule("POST", "/api/cluster/leave", CLUSTER_LEAVE, "/"),
      rule("POST", "/api/cluster/down", CLUSTER_DOWN, "/"),
      rule("POST", "/api/cluster/down-unreachable", CLUSTER_DOWN, "/"),
      rule("POST", "/api/cluster/rebalance", CLUSTER_REBALANCE, "/"),
      rule("GET", "/api/hosts", HOST_READ, "/hosts"),
      rule("GET", "/api/hosts/{id}", HOST_READ, "/hosts/{id}"),
      rule("GET", "/api/hosts/{id}/drain", HOST_READ, "/hosts/{id}"),
      rule("GET", "/api/hosts/{id}/vms/{vm}", HOST_READ, "/hosts/{id}"),
      rule("POST", "/api/hosts/{id}/drain", HOST_DRAIN, "/hosts/{id}"),
      rule("POST", "/api/hosts/{id}/undrain", HOST_DRAIN, "/hosts/{id}"),
      rule("POST", "/api/hosts/{id}/replace", HOST_DRAIN, "/hosts/{id}"),
      rule("POST", "/api/hosts/{id}/confirm-dead", HOST_CONFIRM_DEAD, "/hosts/{id}"),
      rule("GET", "/api/vms", VM_READ, "/vms"),
      rule("POST", "/api/vms", VM_CREATE, "/vms"),
      rule("GET", "/api/vms/{id}", VM_READ, "/vms/{id}"),
      rule("GET", "/api/vms/{id}/placement", VM_READ, "/vms/{id}"),
      rule("GET", "/api/vms/{id}/move", VM_READ, "/vms/{id}"),
      rule("POST", "/api/vms/{id}/start", VM_START, "/vms/{id}"),
      rule("POST", "/api/vms/{id}/stop", VM_STOP, "/vms/{id}"),
      rule("POST", "/api/vms/{id}/move", VM_MOVE, "/vms/{id}"),
      rule("POST", "/api/placement/what-if", CLUSTER_READ, "/"),
      rule("GET", "/api/apps", SERVICE_READ, "/apps"),
      rule("GET", "/api/apps/{id}", SERVICE_READ, "/apps/{id}"),
      rule("GET", "/api/services", SERVICE_READ, "/services"),
      rule("POST", "/api/services", SERVICE_DEFINE, "/services"),
      rule("GET", "/api/services/{name}", SERVICE_READ, "/services/{name}"),
      rule("GET", "/api/services/{name}/status", SERVICE_READ, "/services/{name}"),
      rule("POST", "/api/services/{name}/start", SERVICE_START, "/services/{name}"),
      rule("POST", "/api/services/{name}/stop", SERVICE_STOP, "/services/{name}"),
      rule("GET", "/api/audit", AUDIT_READ, "/"),
      rule("GET", "/api/audit/denied", AUDIT_READ, "/"),
      rule("GET", "/api/audit/history/{ref}", AUDIT_READ, "/"),
      rule("GET", "/api/audit/replay/{ref}", AUDIT_READ, "/"),
      rule("GET", "/api/tokens", TOKEN_MANAGE, "/"),
      rule("POST", "/api/tokens", TOKEN_MANAGE, "/"),
      rule("POST", "/api/tokens/{id}/revoke", TOKEN_MANAGE, "/"),
      rule("GET", "/api/users", USER_MANAGE, "/"),
      rule("POST", "/api/users", USER_MANAGE, "/"),
      rule("GET", "/api/users/{name}", USER_MANAGE, "/"),
      rule("POST", "/api/users/{name}/grant", USER_MANAGE, "/"),
      rule("POST", "/api/users/{name}/revoke", USER_MANAGE, "/"),
      // asking about another user (?as=) needs user.manage too: the route checks it
      rule("GET", "/api/auth/can-i", AUTHENTICATED, "/"),
      rule("GET", "/api/auth/whoami", AUTHENTICATED, "/"),
      // only answered to callers on the node's own machine; says where the admin token file is, never the token
      rule("GET", "/api/auth/local", PUBLIC, "/"));

  private AccessTable() {}

  private static Rule rule(String method, String pattern, String privilege, String object) {
    return new Rule(method, pattern, privilege, object);
  }

  /** The rule for {@code method} on {@code path}, with its object, or null when the table has none. */
  static Match match(String method, String path) {
    String[] segments = segments(path);
    for (Rule r : RULES) {
      if (!r.method().equals(method)) continue;
      Map<String, String> vars = r.match(segments);
      if (vars != null) return new Match(r, r.objectFor(vars));
    }
    return null;
  }

  /** The methods the table lists for {@code path} (empty when none). */
  static List<String> methods(String path) {
    String[] segments = segments(path);
    return RULES.stream().filter(r -> r.match(segments) != null).map(Rule::method).distinct().sorted().toList();
  }

  /** The routes that need {@code privilege}. */
  static List<String> routesNeeding(String privilege) {
    return RULES.stream().filter(r -> r.privilege().equals(privilege)).map(Rule::toString).toList();
  }

  private static String[] segments(String path) {
    return (path.startsWith("/") ? path.substring(1) : path).split("/", -1);
  }
}
