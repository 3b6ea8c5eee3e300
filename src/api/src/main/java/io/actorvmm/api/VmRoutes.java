package io.actorvmm.api;

import io.actorvmm.adapters.Adapters;
import io.actorvmm.api.model.CreateVm;
import io.actorvmm.domain.Limits;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** /api/vms: list, show, create, start, stop. */
final class VmRoutes extends RouteSupport {

  VmRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
  }

  @Override
  Route routes() {
    return pathPrefix("vms", () -> concat(
        pathEnd(() -> concat(
            get(() -> answer(() -> CompletableFuture.completedFuture(Http.ok(
                node.journal().inventory().vms().stream().filter(VmState::exists).map(Views::vm).toList())))),
            post(() -> withWho(who -> withBody(body -> answer(() -> {
              CreateVm req = Http.parse(body, CreateVm.class);
              requireId("vm id", req.vmId());
              var problems = req.spec().problems();
              if (!problems.isEmpty()) throw new IllegalArgumentException(problems.get(0));
              requireKnownRuntime(req.spec().runtime());
              return vm(req.vmId()).<VmState>askWithStatus(
                      r -> new VmEntity.Create(req.spec(), null, Set.of(), who, r), timeout)
                  .thenApply(s -> Http.json(StatusCodes.CREATED, Views.vm(s)));
            })))))),
        pathPrefix(PathMatchers.segment(), id -> concat(
            pathEnd(() -> get(() -> answer(() -> {
              requireId("vm id", id);
              return vm(id).<VmState>ask(VmEntity.Get::new, timeout)
                  .thenApply(s -> s.exists() ? Http.ok(Views.vm(s)) : Http.notFound("vm " + id + " not found"));
            }))),
            path("start", () -> post(() -> parameterOptional("from-image", fromImage -> withWho(who -> answer(() -> {
              requireId("vm id", id);
              boolean image = fromImage.map(VmRoutes::flag).orElse(false);
              return vm(id).<VmState>askWithStatus(r -> new VmEntity.Start(who, image, r), timeout)
                  .thenApply(s -> Http.ok(Views.vm(s)));
            }))))),
            path("stop", () -> post(() -> withWho(who -> answer(() -> {
              requireId("vm id", id);
              return vm(id).<VmState>askWithStatus(r -> new VmEntity.Stop(who, r), timeout)
                  .thenApply(s -> Http.ok(Views.vm(s)));
            }))))))));
  }

  /**
   * Refuses a runtime that no virtual layer of this build and no registered host offers: a VM of it
   * could never start, and its name is most likely a typing mistake.
   */
  private void requireKnownRuntime(String runtime) {
    Set<String> known = new TreeSet<>(Adapters.KINDS);
    node.journal().inventory().hosts().stream().filter(HostState::registered)
        .forEach(h -> known.addAll(h.spec().runtimes()));
    if (!known.contains(runtime)) {
      throw new IllegalArgumentException("runtime '" + Limits.clip(runtime) + "' is not offered by any host; use "
          + String.join(", ", known));
    }
  }

  /** A query flag: true or false, nothing else. */
  private static boolean flag(String v) {
    if (v.equals("true")) return true;
    if (v.equals("false")) return false;
    throw new IllegalArgumentException("from-image must be true or false, not '" + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + "'");
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<VmEntity.Command> vm(String id) {
    return sharding.entityRefFor(VmEntity.ENTITY_KEY, id);
  }
}
