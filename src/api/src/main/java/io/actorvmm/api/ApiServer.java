package io.actorvmm.api;

import io.actorvmm.runtime.AvmRuntime;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/** The node's JSON API on its api port: every route group under /api, errors as one-line JSON. */
public final class ApiServer extends AllDirectives {
  private final AvmRuntime node;
  private final Duration timeout;

  /** The API of {@code node}, asking entities with {@code timeout}. */
  public ApiServer(AvmRuntime node, Duration timeout) {
    this.node = node;
    this.timeout = timeout;
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
        new MoveRoutes(node, timeout).routes()));
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
    return handleExceptions(errors, () -> handleRejections(rejections, () -> api));
  }

  /** Binds the API to the node's configured address and port. */
  public CompletionStage<ServerBinding> bind(String host, int port) {
    return Http.get(node.system()).newServerAt(host, port).bind(routes());
  }
}
