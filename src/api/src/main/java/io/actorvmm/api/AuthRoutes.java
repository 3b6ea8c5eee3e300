package io.actorvmm.api;

import io.actorvmm.api.model.CanIInfo;
import io.actorvmm.api.model.GrantBody;
import io.actorvmm.api.model.IssuedToken;
import io.actorvmm.api.model.LocalNodeInfo;
import io.actorvmm.api.model.TokenBody;
import io.actorvmm.api.model.TokenInfo;
import io.actorvmm.api.model.UserBody;
import io.actorvmm.api.model.UserInfo;
import io.actorvmm.api.model.WhoAmI;
import io.actorvmm.domain.Ids;
import io.actorvmm.domain.auth.Access;
import io.actorvmm.domain.auth.ApiToken;
import io.actorvmm.domain.auth.Grant;
import io.actorvmm.domain.auth.Privilege;
import io.actorvmm.domain.auth.Role;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.auth.TokenEntity;
import io.actorvmm.runtime.auth.TokenState;
import io.actorvmm.runtime.auth.UserEntity;
import io.actorvmm.runtime.auth.UserState;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Principals and access: /api/tokens (issue, list, revoke), /api/users (create, list, show, grant, revoke),
 * /api/auth/whoami, /api/auth/can-i (explains a decision), /api/auth/local (where a local node's admin
 * token file is).
 */
final class AuthRoutes extends RouteSupport {

  AuthRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
  }

  @Override
  Route routes() {
    return concat(
        pathPrefix("tokens", () -> concat(
            pathEnd(() -> concat(
                get(() -> answer(() -> done(Http.ok(node.journal().inventory().tokens().stream()
                    .filter(TokenState::exists).map(AuthRoutes::info).toList())))),
                post(() -> withPrincipal(p -> withBody(body -> answer(() -> issue(p, Http.parse(body, TokenBody.class)))))))),
            path(PathMatchers.segment().slash("revoke"), id -> post(() -> withWho(who -> answer(() -> {
              if (!id.matches("[0-9a-f]{16}")) throw new IllegalArgumentException("token id '" + id + "' must be 16 hex digits");
              return token(id).<TokenState>askWithStatus(r -> new TokenEntity.Revoke(who, r), timeout)
                  .thenApply(s -> Http.ok(info(s)));
            })))))),
        pathPrefix("users", () -> concat(
            pathEnd(() -> concat(
                get(() -> answer(() -> done(Http.ok(node.journal().inventory().users().stream().map(AuthRoutes::info).toList())))),
                post(() -> withWho(who -> withBody(body -> answer(() -> {
                  String name = Http.parse(body, UserBody.class).name();
                  requireUserName(name);
                  return user(name).<UserState>askWithStatus(r -> new UserEntity.Create(who, r), timeout)
                      .thenApply(s -> Http.json(StatusCodes.CREATED, info(s)));
                })))))),
            pathPrefix(PathMatchers.segment(), name -> concat(
                pathEnd(() -> get(() -> answer(() -> {
                  requireId("user name", name);
                  return user(name).<UserState>ask(UserEntity.Get::new, timeout)
                      .thenApply(s -> s.exists() ? Http.ok(info(s)) : Http.notFound("user " + name + " not found"));
                }))),
                path("grant", () -> post(() -> withWho(who -> withBody(body -> answer(() -> {
                  requireId("user name", name);
                  Grant g = grant(Http.parse(body, GrantBody.class));
                  return user(name).<UserState>askWithStatus(r -> new UserEntity.GrantRole(g, who, r), timeout)
                      .thenApply(s -> Http.ok(info(s)));
                }))))),
                path("revoke", () -> post(() -> withWho(who -> withBody(body -> answer(() -> {
                  requireId("user name", name);
                  Grant g = grant(Http.parse(body, GrantBody.class));
                  return user(name).<UserState>askWithStatus(r -> new UserEntity.RevokeRole(g, who, r), timeout)
                      .thenApply(s -> Http.ok(info(s)));
                }))))))))),
        pathPrefix("auth", () -> concat(
            path("whoami", () -> get(() -> withPrincipal(p -> answer(() -> done(Http.ok(new WhoAmI(p.name(), p.tokenId(),
                p.note(), p.grants().stream().map(AuthRoutes::body).toList()))))))),
            path("can-i", () -> get(() -> withPrincipal(p -> parameterOptional("privilege", privilege ->
                parameterOptional("path", object -> parameterOptional("as", as -> answer(() ->
                    canI(p, privilege.orElse(null), object.orElse("/"), as.orElse(null))))))))),
            path("local", () -> get(() -> extractRequest(req -> answer(() -> {
              boolean local = req.getAttribute(AttributeKeys.remoteAddress)
                  .flatMap(a -> a.getAddress()).map(a -> a.isLoopbackAddress()).orElse(false);
              if (!local) throw new Http.NotFound("no such endpoint");
              return done(Http.ok(new LocalNodeInfo(node.adminToken().file().toString())));
            })))))));
  }

  private CompletionStage<HttpResponse> issue(Principal caller, TokenBody req) {
    String owner = req.owner() == null || req.owner().isBlank() ? caller.name() : req.owner();
    requireId("owner", owner);
    List<String> roles = req.roles() == null ? List.of() : List.copyOf(req.roles());
    roles.forEach(Role::parse);
    Instant expiresAt = req.expiresIn() == null ? null : Instant.now().plus(duration(req.expiresIn()));
    String label = req.label() == null ? null : req.label().replaceAll("\\p{Cntrl}", " ").strip();
    if (label != null && label.length() > 100) throw new IllegalArgumentException("label must be at most 100 characters");
    ApiToken token = ApiToken.generate();
    return user(owner).<UserState>ask(UserEntity.Get::new, timeout).thenCompose(u -> {
      if (!u.exists()) throw new Http.NotFound("user " + owner + " not found");
      return token(token.id()).<TokenState>askWithStatus(r -> new TokenEntity.Issue(owner, token.digest(), roles,
          expiresAt, label, caller.who(), r), timeout);
    }).thenApply(s -> Http.json(StatusCodes.CREATED, new IssuedToken(token.text(), info(s))));
  }

  private CompletionStage<HttpResponse> canI(Principal caller, String privilege, String object, String as) {
    if (privilege == null || privilege.isBlank()) throw new IllegalArgumentException("privilege is missing");
    if (!Privilege.known(privilege)) {
      throw new IllegalArgumentException("unknown privilege '" + privilege + "': use one of " + String.join(", ", Privilege.ALL));
    }
    String problem = Grant.pathProblem(object);
    if (problem != null) throw new IllegalArgumentException(problem);
    List<String> routes = AccessTable.routesNeeding(privilege);
    if (as == null || as.equals(caller.name())) {
      Access.Decision d = Access.check(caller.grants(), privilege, object);
      return done(Http.ok(new CanIInfo(caller.name(), privilege, object, d.allowed(), d.by() == null ? null : body(d.by()),
          d.reason(), routes)));
    }
    requireId("user name", as);
    Access.Decision mayAsk = Access.check(caller.grants(), Privilege.USER_MANAGE, "/");
    if (!mayAsk.allowed()) {
      deny(node, 403, "GET", "/api/auth/can-i?as=" + as, Privilege.USER_MANAGE, "/", mayAsk.reason(), caller.name(),
          caller.tokenId(), caller.note());
      return done(Http.error(StatusCodes.FORBIDDEN, caller.name() + " may not ask for another user: " + mayAsk.reason()));
    }
    return user(as).<UserState>ask(UserEntity.Get::new, timeout).thenApply(u -> {
      if (!u.exists()) return Http.notFound("user " + as + " not found");
      Access.Decision d = Access.check(u.grants(), privilege, object);
      return Http.ok(new CanIInfo(as, privilege, object, d.allowed(), d.by() == null ? null : body(d.by()), d.reason(), routes));
    });
  }

  private static void requireUserName(String name) {
    requireId("user name", name);
    if (name.startsWith("system") || name.equals("anonymous") || name.equals("unknown") || name.equals(UserState.ADMIN)) {
      throw new IllegalArgumentException("user name '" + name + "' is reserved");
    }
  }

  private static Grant grant(GrantBody b) {
    if (b.role() == null || b.role().isBlank()) throw new IllegalArgumentException("role is missing; use " + Role.names());
    return new Grant(b.role(), b.path() == null ? "/" : b.path());
  }

  private static Duration duration(String text) {
    try {
      Duration d = text.matches("\\d{1,9}") ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("expiresIn must be above zero");
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("expiresIn must be an ISO-8601 duration such as PT8H, or seconds, not '" + text + "'");
    }
  }

  static TokenInfo info(TokenState s) {
    String status = s.revokedAt() != null ? "revoked" : s.refusal(Instant.now()) != null ? "expired" : "active";
    return new TokenInfo(s.tokenId(), s.owner(), s.roles(), str(s.expiresAt()), s.label(), s.issuedBy(), str(s.issuedAt()),
        str(s.revokedAt()), status);
  }

  static UserInfo info(UserState s) {
    return new UserInfo(s.name(), s.grants().stream().map(AuthRoutes::body).toList());
  }

  private static GrantBody body(Grant g) {
    return new GrantBody(g.role(), g.path());
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private EntityRef<TokenEntity.Command> token(String id) {
    return sharding.entityRefFor(TokenEntity.ENTITY_KEY, id);
  }

  private EntityRef<UserEntity.Command> user(String name) {
    return sharding.entityRefFor(UserEntity.ENTITY_KEY, name);
  }
}
