package io.actorvmm.api;

import io.actorvmm.api.model.WhatIfRequest;
import io.actorvmm.domain.Limits;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.domain.whatif.Inventory;
import io.actorvmm.domain.whatif.InventoryHost;
import io.actorvmm.domain.whatif.PlacedVm;
import io.actorvmm.domain.whatif.Scenario;
import io.actorvmm.domain.whatif.WhatIf;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.service.ServiceState;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Placement for operators: GET /api/vms/{id}/placement explains a VM's last placement decision;
 * POST /api/placement/what-if runs a scenario against this node's read side of the inventory and
 * changes nothing.
 */
final class PlacementRoutes extends RouteSupport {
  private static final String KINDS = "use lose-host, drain-host, distinct-hosts, max-per-host or more-replicas";

  private final WhatIf whatIf = WhatIf.standard();

  PlacementRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
  }

  @Override
  Route routes() {
    return concat(
        path(PathMatchers.segment("vms").slash(PathMatchers.segment()).slash("placement"), id ->
            get(() -> answer(() -> explain(id)))),
        path(PathMatchers.segment("placement").slash("what-if"), () ->
            post(() -> withBody(body -> answer(() -> CompletableFuture.completedFuture(
                Http.ok(PlacementViews.whatIf(whatIf.run(inventory(), scenario(Http.parse(body, WhatIfRequest.class)))))))))));
  }

  private CompletionStage<HttpResponse> explain(String id) {
    requireId("vm id", id);
    return sharding.entityRefFor(VmEntity.ENTITY_KEY, id).<VmState>ask(VmEntity.Get::new, timeout).thenApply(s -> {
      if (!s.exists()) return Http.notFound("vm " + id + " not found");
      if (s.placement() == null) {
        return Http.error(StatusCodes.CONFLICT, "vm " + id + " has no placement decision yet: it is " + s.phase().label()
            + " and was never started");
      }
      return Http.ok(PlacementViews.explain(s, serviceOf(s.appId())));
    });
  }

  /** The first service (by name) that lists {@code app}, or null. */
  private String serviceOf(String app) {
    if (app == null) return null;
    for (ServiceState s : node.journal().inventory().services()) {
      if (s.exists() && s.spec().app(app) != null) return s.name();
    }
    return null;
  }

  /** The live inventory as the what-if sees it: registered hosts, VMs that hold a host, defined services. */
  private Inventory inventory() {
    var inv = node.journal().inventory();
    List<InventoryHost> hosts = inv.hosts().stream().filter(HostState::registered)
        .map(h -> new InventoryHost(h.spec(), h.status())).toList();
    List<PlacedVm> vms = inv.vms().stream()
        .filter(v -> v.exists() && v.phase().holdsHost() && v.hostId() != null)
        .map(v -> new PlacedVm(v.vmId(), v.hostId(), v.spec(), v.appId())).toList();
    List<ServiceSpec> services = inv.services().stream().filter(ServiceState::exists).map(ServiceState::spec).toList();
    return new Inventory(hosts, vms, services);
  }

  /** The request as a domain scenario: bad input is 400, a host, service or app the inventory lacks is 404. */
  private Scenario scenario(WhatIfRequest r) {
    if (r.kind() == null || r.kind().isBlank()) throw new IllegalArgumentException("kind is missing; " + KINDS);
    String kind = r.kind().trim().toLowerCase(Locale.ROOT);
    switch (kind) {
      case WhatIfRequest.LOSE_HOST, WhatIfRequest.DRAIN_HOST -> {
        if (r.host() == null || r.host().isBlank()) throw new IllegalArgumentException(kind + " needs a host");
        requireId("host id", r.host());
        boolean known = node.journal().inventory().hosts().stream()
            .anyMatch(h -> h.registered() && h.hostId().equals(r.host()));
        if (!known) throw new Http.NotFound("host " + r.host() + " not found");
        return kind.equals(WhatIfRequest.LOSE_HOST) ? Scenario.hostLost(r.host()) : Scenario.hostDrained(r.host());
      }
      case WhatIfRequest.DISTINCT_HOSTS, WhatIfRequest.MAX_PER_HOST, WhatIfRequest.MORE_REPLICAS -> {
        if (r.app() == null || r.app().isBlank()) throw new IllegalArgumentException(kind + " needs an app");
        requireId("app name", r.app());
        int count = 0;
        if (!kind.equals(WhatIfRequest.DISTINCT_HOSTS)) {
          if (r.count() == null) throw new IllegalArgumentException(kind + " needs a count");
          if (r.count() < 1) throw new IllegalArgumentException("count must be at least 1, not " + r.count());
          if (r.count() > Limits.MAX_WHAT_IF_COUNT) {
            throw new IllegalArgumentException("count must be at most " + Limits.MAX_WHAT_IF_COUNT + ", not " + r.count());
          }
          count = r.count();
        }
        String service = serviceFor(r.app(), r.service());
        return switch (kind) {
          case WhatIfRequest.DISTINCT_HOSTS -> Scenario.distinctHosts(service, r.app());
          case WhatIfRequest.MAX_PER_HOST -> Scenario.maxPerHost(service, r.app(), count);
          default -> Scenario.moreReplicas(service, r.app(), count);
        };
      }
      default -> throw new IllegalArgumentException("unknown kind '" + Limits.clip(r.kind()) + "'; " + KINDS);
    }
  }

  /** The service whose rules change: the named one, or the only service that has {@code app}. */
  private String serviceFor(String app, String named) {
    List<ServiceState> services = node.journal().inventory().services().stream().filter(ServiceState::exists).toList();
    if (named != null && !named.isBlank()) {
      requireId("service name", named);
      ServiceState s = services.stream().filter(x -> x.name().equals(named)).findFirst()
          .orElseThrow(() -> new Http.NotFound("service " + named + " not found"));
      if (s.spec().app(app) == null) throw new Http.NotFound("service " + named + " has no app " + app);
      return named;
    }
    List<String> having = services.stream().filter(s -> s.spec().app(app) != null).map(ServiceState::name).toList();
    if (having.isEmpty()) throw new Http.NotFound("app " + app + " not found in any service");
    if (having.size() > 1) {
      throw new IllegalArgumentException("app " + app + " is in services " + String.join(", ", having)
          + "; name one with service");
    }
    return having.get(0);
  }
}
