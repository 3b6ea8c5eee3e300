package io.actorvmm.api;

import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.domain.service.ServiceValidation;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.app.AppState;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.service.ServiceState;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** /api/services: define, list, show, start, stop, status. */
final class ServiceRoutes extends RouteSupport {

  ServiceRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
  }

  @Override
  Route routes() {
    return pathPrefix("services", () -> concat(
        pathEnd(() -> concat(
            get(() -> answer(() -> CompletableFuture.completedFuture(Http.ok(
                node.journal().inventory().services().stream().filter(ServiceState::exists)
                    .map(s -> Views.service(s, List.of())).toList())))),
            post(() -> withWho(who -> withBody(body -> answer(() -> define(Http.parse(body, ServiceSpec.class), who))))))),
        pathPrefix(PathMatchers.segment(), name -> concat(
            pathEnd(() -> get(() -> answer(() -> show(name)))),
            path("status", () -> get(() -> answer(() -> show(name)))),
            path("start", () -> post(() -> withWho(who -> answer(() -> {
              requireId("service name", name);
              return service(name).<ServiceEntity.ServiceView>askWithStatus(r -> new ServiceEntity.Start(who, r), timeout)
                  .thenApply(v -> Http.ok(Views.service(v)));
            })))),
            path("stop", () -> post(() -> withWho(who -> answer(() -> {
              requireId("service name", name);
              return service(name).<ServiceEntity.ServiceView>askWithStatus(r -> new ServiceEntity.Stop(who, r), timeout)
                  .thenApply(v -> Http.ok(Views.service(v)));
            }))))))));
  }

  private CompletionStage<HttpResponse> show(String name) {
    requireId("service name", name);
    return service(name).<ServiceEntity.ServiceView>ask(ServiceEntity.Get::new, timeout)
        .thenApply(v -> v.state().exists() ? Http.ok(Views.service(v)) : Http.notFound("service " + name + " not found"));
  }

  private CompletionStage<HttpResponse> define(ServiceSpec spec, String who) {
    List<String> problems = ServiceValidation.problems(spec);
    if (!problems.isEmpty()) throw new IllegalArgumentException(problems.get(0));
    // replicas the registered hosts could never hold under the rules are refused now, not left waiting forever
    String never = io.actorvmm.domain.service.ServiceFeasibility.problem(spec, node.journal().inventory().hosts()
        .stream().filter(io.actorvmm.runtime.host.HostState::registered).map(io.actorvmm.runtime.host.HostState::spec)
        .toList());
    if (never != null) return CompletableFuture.completedFuture(Http.error(StatusCodes.CONFLICT, never));
    // an application shared with another service must be defined identically there: check before anything is persisted
    CompletableFuture<String> clash = CompletableFuture.completedFuture(null);
    for (AppRequirement a : spec.apps()) {
      CompletionStage<AppState> existing = sharding.entityRefFor(AppEntity.ENTITY_KEY, a.app())
          .ask(AppEntity.Get::new, timeout);
      clash = clash.thenCombine(existing, (found, s) -> found != null ? found
          : s.exists() && !(Objects.equals(s.kind(), a.kind()) && s.replicas() == a.replicas()
              && Objects.equals(s.vm(), a.vm()))
              ? "app " + a.app() + " is already defined differently by " + String.join(", ", s.services()) : null);
    }
    return clash.thenCompose(found -> {
      if (found != null) return CompletableFuture.completedFuture(Http.error(StatusCodes.CONFLICT, found));
      return service(spec.name()).<ServiceEntity.ServiceView>askWithStatus(r -> new ServiceEntity.Define(spec, who, r),
              timeout)
          .thenApply(v -> Http.json(StatusCodes.CREATED, Views.service(v)));
    });
  }

  private EntityRef<ServiceEntity.Command> service(String name) {
    return sharding.entityRefFor(ServiceEntity.ENTITY_KEY, name);
  }

}
