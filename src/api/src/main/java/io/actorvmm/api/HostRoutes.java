package io.actorvmm.api;

import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** GET /api/hosts and /api/hosts/{id}. */
final class HostRoutes extends RouteSupport {

  HostRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
  }

  @Override
  Route routes() {
    return pathPrefix("hosts", () -> concat(
        pathEnd(() -> get(() -> answer(() -> CompletableFuture.completedFuture(Http.ok(
            node.journal().inventory().hosts().stream().filter(HostState::registered).map(Views::host).toList()))))),
        path(PathMatchers.segment(), id -> get(() -> answer(() -> {
          requireId("host id", id);
          return sharding.entityRefFor(HostEntity.ENTITY_KEY, id)
              .<HostState>ask(HostEntity.Get::new, timeout)
              .thenApply(s -> s.registered() ? Http.ok(Views.host(s)) : Http.notFound("host " + id + " not found"));
        })))));
  }
}
