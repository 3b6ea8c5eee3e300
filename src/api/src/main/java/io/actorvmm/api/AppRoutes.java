package io.actorvmm.api;

import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.app.AppState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** GET /api/apps and /api/apps/{id}. */
final class AppRoutes extends RouteSupport {

  AppRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
  }

  @Override
  Route routes() {
    return pathPrefix("apps", () -> concat(
        pathEnd(() -> get(() -> answer(() -> CompletableFuture.completedFuture(Http.ok(
            node.journal().inventory().apps().stream().filter(AppState::exists).map(Views::app).toList()))))),
        path(PathMatchers.segment(), id -> get(() -> answer(() -> {
          requireId("app id", id);
          return sharding.entityRefFor(AppEntity.ENTITY_KEY, id).<AppState>ask(AppEntity.Get::new, timeout)
              .thenApply(s -> s.exists() ? Http.ok(Views.app(s)) : Http.notFound("app " + id + " not found"));
        })))));
  }
}
