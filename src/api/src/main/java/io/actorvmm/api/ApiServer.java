package io.actorvmm.api;

import io.actorvmm.domain.auth.Access;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.auth.DenialLog;
import java.util.List;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's JSON API on its api port: every route group under /api, errors as one-line JSON. Every
 * request passes the gate first: its token is authenticated, and the {@link AccessTable} says which
 * privilege it needs on which object; a refusal answers 401 or 403, is recorded in the node's
 * {@link DenialLog}, and reaches no route.
 */
public final class ApiServer extends AllDirectives {
  /** The request attribute that carries the authenticated principal to the routes. */
  static final AttributeKey<Principal> PRINCIPAL = AttributeKey.create("avm-principal", Principal.class);
  /** The header a caller may annotate its requests with (recorded beside the principal, never as it). */
  static final String NOTE_HEADER = "X-Avm-User";

  private final AvmRuntime node;
  private final Duration timeout;
  private final Authenticator authenticator;

  /** The API of {@code node}, asking entities with {@code timeout}. */
  public ApiServer(AvmRuntime node, Duration timeout) {
    this.node = node;
    this.timeout = timeout;
    this.authenticator = new Authenticator(node, timeout);
  }

  /** Every route. */
  public Route routes() {
    Route api = pathPrefix("api", () -> concat(
        new ClusterRoutes(node, timeout).routes(),
        new HostRoutes(node, timeout).routes(),
        new VmRoutes(node, timeout).routes(),
        new AppRoutes(node, timeout).routes(),
        new ServiceRoutes(node, timeout).routes(),
        new PlacementRoutes(node, timeout).routes(),
        new AuditRoutes(node, timeout).routes(),
        new MoveRoutes(node, timeout).routes(),
        new AuthRoutes(node, timeout).routes()));
    ExceptionHandler errors = ExceptionHandler.newBuilder()
        .matchAny(e -> complete(io.actorvmm.api.Http.failure(e)))
        .build();
    RejectionHandler rejections = RejectionHandler.newBuilder()
        .handleNotFound(complete(io.actorvmm.api.Http.notFound("no such endpoint")))
        .handleAll(org.apache.pekko.http.javadsl.server.MethodRejection.class, rs -> complete(io.actorvmm.api.Http.error(
            StatusCodes.METHOD_NOT_ALLOWED, "method not allowed here; use " + rs.stream()
                .map(r -> r.supported().name()).distinct().sorted().collect(java.util.stream.Collectors.joining(" or ")))))
        .handleAll(org.apache.pekko.http.javadsl.server.Rejection.class, r ->
            complete(io.actorvmm.api.Http.error(StatusCodes.BAD_REQUEST, "bad request: " + r.get(0))))
        .build();
    return handleExceptions(errors, () -> handleRejections(rejections, () -> gate(api)));
  }

  /** Authenticates and authorizes every request under /api by the access table before {@code api} sees it. */
  private Route gate(Route api) {
    return extractRequest(req -> {
      String path = req.getUri().path();
      if (!path.equals("/api") && !path.startsWith("/api/")) return api;
      String method = req.method().name();
      AccessTable.Match match = AccessTable.match(method, path);
      if (match != null && match.rule().privilege().equals(AccessTable.PUBLIC)) return api;
      String note = req.getHeader(NOTE_HEADER).map(h -> h.value()).orElse(null);
      return onSuccess(authenticator.authenticate(req.getHeader("Authorization").map(h -> h.value()), note), out -> {
        if (out.principal() == null) {
          if (out.status() != 401) return complete(io.actorvmm.api.Http.error(StatusCodes.get(out.status()), out.failure()));
          RouteSupport.deny(node, 401, method, path, null, null, out.failure(), out.who(), out.tokenId(), note);
          return complete(io.actorvmm.api.Http.error(StatusCodes.UNAUTHORIZED, out.failure())
              .addHeader(HttpHeader.parse("WWW-Authenticate", "Bearer realm=\"avm\"")));
        }
        Principal p = out.principal();
        if (match == null) {
          // not a route of the table: nothing behind it is served, to anyone
          List<String> methods = AccessTable.methods(path);
          return complete(methods.isEmpty() ? io.actorvmm.api.Http.notFound("no such endpoint")
              : io.actorvmm.api.Http.error(StatusCodes.METHOD_NOT_ALLOWED, "method not allowed here; use "
                  + String.join(" or ", methods)));
        }
        String privilege = match.rule().privilege();
        if (!privilege.equals(AccessTable.AUTHENTICATED)) {
          Access.Decision d = Access.check(p.grants(), privilege, match.object());
          if (!d.allowed()) {
            RouteSupport.deny(node, 403, method, path, privilege, match.object(), d.reason(), p.name(), p.tokenId(), note);
            return complete(io.actorvmm.api.Http.error(StatusCodes.FORBIDDEN, p.name() + " may not: " + d.reason()));
          }
        }
        return mapRequest(r -> r.addAttribute(PRINCIPAL, p), () -> api);
      });
    });
  }

  /** Binds the API to the node's configured address and port. */
  public CompletionStage<ServerBinding> bind(String host, int port) {
    return Http.get(node.system()).newServerAt(host, port).bind(routes());
  }
}
