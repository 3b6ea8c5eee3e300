package io.actorvmm.api;

import io.actorvmm.domain.Limits;
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
import org.apache.pekko.http.javadsl.server.MalformedHeaderRejection;
import org.apache.pekko.http.javadsl.server.MalformedQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MissingQueryParamRejection;
import org.apache.pekko.http.javadsl.server.RequestEntityExpectedRejection;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

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
  private final long maxBody;
  private final Authenticator authenticator;

  /** The API of {@code node}, asking entities with {@code timeout}, reading bodies of at most {@code maxBody} bytes. */
  public ApiServer(AvmRuntime node, Duration timeout, long maxBody) {
    this.node = node;
    this.timeout = timeout;
    this.maxBody = maxBody;
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
        .handle(MalformedRequestContentRejection.class, r -> complete(r.getCause() instanceof EntityStreamSizeException size
            ? io.actorvmm.api.Http.tooLarge(size.limit()) : io.actorvmm.api.Http.badRequest("body: cannot be read")))
        .handle(UnsupportedRequestContentTypeRejection.class, r -> complete(io.actorvmm.api.Http.notJson()))
        .handle(RequestEntityExpectedRejection.class, r -> complete(io.actorvmm.api.Http.badRequest(
            "request body is missing")))
        .handle(MissingQueryParamRejection.class, r -> complete(io.actorvmm.api.Http.badRequest(
            "query parameter " + Limits.clip(r.parameterName()) + " is missing")))
        .handle(MalformedQueryParamRejection.class, r -> complete(io.actorvmm.api.Http.badRequest(
            "query parameter " + Limits.clip(r.parameterName()) + " is malformed")))
        .handle(MalformedHeaderRejection.class, r -> complete(io.actorvmm.api.Http.badRequest(
            "header " + Limits.clip(r.headerName()) + " is malformed")))
        // any other refusal by the HTTP layer: its text names Scala classes, so only its kind is told
        .handleAll(org.apache.pekko.http.javadsl.server.Rejection.class, r ->
            complete(io.actorvmm.api.Http.error(StatusCodes.BAD_REQUEST, "bad request")))
        .build();
    // bodies are read only up to the limit (avm.api.max-body-size): a larger one is 413, never held in memory
    // an oversized body is refused before anything else; then the gate, then the routes, which read bodies
    // only up to the limit
    return handleExceptions(errors, () -> handleRejections(rejections,
        () -> refuseOversized(() -> gate(withSizeLimit(maxBody, () -> api)))));
  }

  /**
   * A body that says it is larger than the limit is read to its end and thrown away before the 413 goes
   * out: a server that answers while the client still sends makes the client's connection reset, and
   * with it the answer lost. Pekko's own limit ({@code pekko.http.server.parsing.max-content-length})
   * bounds what is read this way; a body of unknown length is cut at the limit by {@code withSizeLimit}.
   */
  private Route refuseOversized(java.util.function.Supplier<Route> inner) {
    return extractRequestEntity(entity -> {
      java.util.OptionalLong length = entity.getContentLengthOption();
      if (length.isPresent() && length.getAsLong() > maxBody) {
        return extractMaterializer(mat -> onComplete(entity.discardBytes(mat).completionStage(),
            done -> complete(io.actorvmm.api.Http.tooLarge(maxBody))));
      }
      return inner.get();
    });
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
      if (note != null && note.length() > Limits.MAX_USER) {
        return complete(io.actorvmm.api.Http.badRequest("header " + NOTE_HEADER + " must be at most " + Limits.MAX_USER
            + " characters"));
      }
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
