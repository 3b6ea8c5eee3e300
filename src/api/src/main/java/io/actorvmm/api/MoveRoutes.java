package io.actorvmm.api;

import io.actorvmm.api.model.DrainBody;
import io.actorvmm.api.model.DrainInfo;
import io.actorvmm.api.model.MoveBody;
import io.actorvmm.api.model.MoveInfo;
import io.actorvmm.api.model.VmOnHostInfo;
import io.actorvmm.domain.Limits;
import io.actorvmm.domain.placement.CostRebalance;
import io.actorvmm.domain.whatif.WhatIfResult;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.agent.HostAgent;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.move.DrainPlan;
import io.actorvmm.runtime.move.MoveEntity;
import io.actorvmm.runtime.move.MoveState;
import io.actorvmm.runtime.move.MoveStep;
import io.actorvmm.runtime.move.ReadSide;
import io.actorvmm.runtime.move.Rebalance;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Moves, drains, replacement and rebalance: POST/GET /api/vms/{id}/move, POST /api/hosts/{id}/drain,
 * GET /api/hosts/{id}/drain, POST /api/hosts/{id}/undrain, POST /api/hosts/{id}/replace,
 * GET /api/hosts/{id}/vms/{vm} (what the host's virtual layer holds of a VM), POST /api/cluster/rebalance
 * (?by=load|cost&max-moves=N&horizon-hours=H&dry-run=true).
 */
final class MoveRoutes extends RouteSupport {

  MoveRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
  }

  @Override
  Route routes() {
    return concat(
        pathPrefix("vms", () -> pathPrefix(PathMatchers.segment(), id -> path("move", () -> vmMove(id)))),
        pathPrefix("hosts", () -> pathPrefix(PathMatchers.segment(), this::hostRoutes)),
        pathPrefix("cluster", () -> path("rebalance", this::rebalance)));
  }

  private Route vmMove(String id) {
    Route start = post(() -> withWho(who -> optionalBody(body -> answer(() -> {
      requireId("vm id", id);
      MoveBody req = body == null ? new MoveBody(null, false, null) : Http.parse(body, MoveBody.class);
      if (req.to() != null) requireId("host id", req.to());
      String longReason = Limits.text("reason", req.reason());
      if (longReason != null) throw new IllegalArgumentException(longReason);
      return move(id).<MoveState>askWithStatus(r -> new MoveEntity.Request(req.to(),
              Boolean.TRUE.equals(req.live()), req.reason(), who, r), timeout)
          .thenApply(s -> Http.json(StatusCodes.ACCEPTED, info(s)));
    }))));
    Route show = get(() -> answer(() -> {
      requireId("vm id", id);
      return move(id).<MoveState>ask(MoveEntity.Get::new, timeout)
          .thenApply(s -> s.moveId() == 0 ? Http.notFound("vm " + id + " has never moved") : Http.ok(info(s)));
    }));
    return concat(start, show);
  }

  private Route hostRoutes(String id) {
    Route drain = post(() -> withWho(who -> optionalBody(body -> answer(() -> {
      requireId("host id", id);
      DrainBody req = body == null ? new DrainBody(null, false, false) : Http.parse(body, DrainBody.class);
      if (req.to() != null) requireId("host id", req.to());
      if (Boolean.TRUE.equals(req.dryRun())) return plan(id);
      return drain(id, req.to(), Boolean.TRUE.equals(req.live()), false, who);
    }))));
    Route drainStatus = get(() -> answer(() -> {
      requireId("host id", id);
      return report(id, null);
    }));
    Route undrain = post(() -> withWho(who -> answer(() -> {
      requireId("host id", id);
      return host(id).<HostState>askWithStatus(r -> new HostEntity.Undrain(who, r), timeout)
          .thenCompose(s -> report(id, null));
    })));
    Route confirmDead = post(() -> withWho(who -> answer(() -> {
      requireId("host id", id);
      return host(id).<HostState>askWithStatus(r -> new HostEntity.ConfirmDead(who, r), timeout)
          .thenApply(s -> Http.ok(Views.host(s)));
    })));
    Route replace = post(() -> withWho(who -> optionalBody(body -> answer(() -> {
      requireId("host id", id);
      DrainBody req = body == null ? new DrainBody(null, false, false) : Http.parse(body, DrainBody.class);
      if (req.to() == null) throw new IllegalArgumentException("name the new host: {\"to\": \"HOST\"}");
      requireId("host id", req.to());
      if (Boolean.TRUE.equals(req.dryRun())) return plan(id);
      return drain(id, req.to(), Boolean.TRUE.equals(req.live()), true, who);
    }))));
    Route inspect = pathPrefix("vms", () -> path(PathMatchers.segment(), vm -> get(() -> answer(() -> {
      requireId("host id", id);
      requireId("vm id", vm);
      return inspect(id, vm);
    }))));
    return concat(
        path("drain", () -> concat(drain, drainStatus)),
        path("undrain", () -> undrain),
        path("confirm-dead", () -> confirmDead),
        path("replace", () -> replace),
        inspect);
  }

  private Route rebalance() {
    return post(() -> withWho(who -> parameterOptional("dry-run", dry -> parameterOptional("max-moves", max ->
        parameterOptional("by", by -> parameterOptional("horizon-hours", horizon -> answer(() -> {
          Rebalance.By mode = by.map(Rebalance.By::parse).orElse(Rebalance.By.LOAD);
          int limit = max.map(MoveRoutes::positive).orElse(Rebalance.DEFAULT_MAX_MOVES);
          double hours = horizon.map(MoveRoutes::hours).orElse(CostRebalance.DEFAULT_HORIZON_HOURS);
          boolean dryRun = dry.map(d -> !d.equals("false")).orElse(false);
          return Rebalance.run(node.system(), mode, limit, hours, dryRun, who).thenApply(Http::ok);
        })))))));
  }

  private static double hours(String s) {
    double h;
    try {
      h = Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("horizon-hours must be a number, not '" + Limits.clip(s) + "'");
    }
    if (!(h > 0) || Double.isInfinite(h)) throw new IllegalArgumentException("horizon-hours must be above zero");
    return h;
  }

  private static int positive(String s) {
    try {
      int n = Integer.parseInt(s.trim());
      if (n < 1) throw new IllegalArgumentException("max-moves must be at least 1");
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("max-moves must be a number, not '" + Limits.clip(s) + "'");
    }
  }

  /** Runs {@code inner} with the request body as text, or null when there is none. */
  private Route optionalBody(java.util.function.Function<String, Route> inner) {
    return withBody(b -> inner.apply(b == null || b.isBlank() ? null : b));
  }

  private CompletionStage<HttpResponse> plan(String hostId) {
    return host(hostId).<HostState>ask(HostEntity.Get::new, timeout).thenApply(s -> {
      if (!s.registered()) return Http.notFound("host " + hostId + " not found");
      return Http.ok(planOf(hostId));
    });
  }

  private WhatIfResult planOf(String hostId) {
    try {
      return DrainPlan.plan(ReadSide.get(node.system()), hostId);
    } catch (IllegalArgumentException notYetSeen) {
      // the node's read side does not list the host yet
      return null;
    }
  }

  private CompletionStage<HttpResponse> drain(String hostId, String to, boolean live, boolean retire, String who) {
    CompletionStage<HostState> target = to == null ? CompletableFuture.completedFuture(null)
        : host(to).<HostState>ask(HostEntity.Get::new, timeout);
    return target.thenCompose(t -> {
      if (t != null && !t.registered()) throw new Http.NotFound("host " + to + " not found");
      WhatIfResult before = planOf(hostId);
      return host(hostId).<HostState>askWithStatus(r -> new HostEntity.Drain(to, live, retire, who, r), timeout)
          .thenCompose(s -> report(hostId, before));
    });
  }

  private CompletionStage<HttpResponse> report(String hostId, WhatIfResult plan) {
    return host(hostId).<HostEntity.DrainReport>ask(HostEntity.GetDrain::new, timeout).thenApply(d -> {
      if (d.status() == null) return Http.notFound("host " + hostId + " not found");
      WhatIfResult p = plan != null ? plan : d.remaining().isEmpty() ? null : planOf(hostId);
      return Http.ok(new DrainInfo(d.hostId(), d.status(), d.reason(), d.draining(), d.onlyTarget(), d.remaining(),
          d.moving(), d.waiting(), p));
    });
  }

  private CompletionStage<HttpResponse> inspect(String hostId, String vmId) {
    return host(hostId).<HostState>ask(HostEntity.Get::new, timeout).thenCompose(h -> {
      if (!h.registered()) return CompletableFuture.completedFuture(Http.notFound("host " + hostId + " not found"));
      return AskPattern.<HostEntity.Command, HostAgent.VmOnHost>ask(host(hostId),
              r -> new HostEntity.ToAgent(new HostAgent.Inspect(vmId, r), node.system().ignoreRef()), timeout,
              node.system().scheduler())
          .thenApply(v -> Http.ok(new VmOnHostInfo(v.hostId(), v.vmId(), v.state().name().toLowerCase(),
              v.hasData())));
    });
  }

  /** A move as the API shows it. */
  static MoveInfo info(MoveState s) {
    return new MoveInfo(s.vmId(), s.moveId(), s.status().name().toLowerCase(), s.fromHost(), s.toHost(), s.live(),
        s.done().stream().map(MoveStep::label).toList(), s.fallback(), s.reason(), s.downtimeMillis(),
        s.started() == null ? null : s.started().who(), s.started() == null ? null : s.started().at(),
        s.ended() == null ? null : s.ended().at(), s.transferCost());
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<MoveEntity.Command> move(String id) {
    return sharding.entityRefFor(MoveEntity.ENTITY_KEY, id);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<HostEntity.Command> host(String id) {
    return sharding.entityRefFor(HostEntity.ENTITY_KEY, id);
  }
}
