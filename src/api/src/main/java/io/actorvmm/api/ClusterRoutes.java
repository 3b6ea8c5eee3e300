package io.actorvmm.api;

import io.actorvmm.api.model.AddressBody;
import io.actorvmm.api.model.ClusterInfo;
import io.actorvmm.api.model.LeaderInfo;
import io.actorvmm.api.model.MessageBody;
import io.actorvmm.api.model.ShardingStats;
import io.actorvmm.domain.Limits;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.vm.VmEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** /api/cluster: membership, leader, leave, down, down-unreachable, sharding statistics. */
final class ClusterRoutes extends RouteSupport {
  private static final List<EntityTypeKey<?>> TYPES =
      List.of(HostEntity.ENTITY_KEY, VmEntity.ENTITY_KEY, AppEntity.ENTITY_KEY, ServiceEntity.ENTITY_KEY);

  private final Cluster cluster;

  ClusterRoutes(AvmRuntime node, Duration timeout) {
    super(node, timeout);
    this.cluster = Cluster.get(node.system());
  }

  @Override
  Route routes() {
    return pathPrefix("cluster", () -> concat(
        pathEnd(() -> get(() -> answer(() -> done(Http.ok(info()))))),
        path("leader", () -> get(() -> answer(() -> done(Http.ok(new LeaderInfo(leader())))))),
        path("leave", () -> post(() -> withBody(body -> answer(() -> {
          Member m = member(Http.parse(body, AddressBody.class).address());
          cluster.manager().tell(Leave.create(m.address()));
          return done(Http.ok(MessageBody.of("leaving: " + m.address())));
        })))),
        path("down", () -> post(() -> withBody(body -> answer(() -> {
          Member m = member(Http.parse(body, AddressBody.class).address());
          cluster.manager().tell(new Down(m.address()));
          return done(Http.ok(MessageBody.of("downed: " + m.address())));
        })))),
        path("down-unreachable", () -> post(() -> answer(() -> {
          List<String> downed = new ArrayList<>();
          for (Member m : cluster.state().getUnreachable()) {
            cluster.manager().tell(new Down(m.address()));
            downed.add(m.address().toString());
          }
          return done(Http.ok(new MessageBody(downed.isEmpty() ? "no unreachable members" : "downed "
              + downed.size() + " unreachable members", downed)));
        }))),
        path("sharding", () -> get(() -> answer(this::sharding)))));
  }

  private static CompletionStage<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private String leader() {
    Address a = cluster.state().getLeader();
    return a == null ? null : a.toString();
  }

  private ClusterInfo info() {
    List<ClusterInfo.Member> members = new ArrayList<>();
    for (Member m : cluster.state().getMembers()) {
      List<String> roles = new ArrayList<>(m.getRoles());
      roles.removeIf(r -> r.startsWith("dc-"));
      roles.sort(String::compareTo);
      members.add(new ClusterInfo.Member(m.address().toString(), m.status().toString(), roles, m.upNumber()));
    }
    List<String> unreachable = new ArrayList<>();
    cluster.state().getUnreachable().forEach(m -> unreachable.add(m.address().toString()));
    Member oldest = null;
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == org.apache.pekko.cluster.MemberStatus.up() && (oldest == null || m.isOlderThan(oldest))) oldest = m;
    }
    return new ClusterInfo(cluster.selfMember().address().toString(), leader(),
        oldest == null ? null : oldest.address().toString(), members, unreachable);
  }

  private Member member(String address) {
    if (address == null || address.isBlank()) throw new IllegalArgumentException("address is missing");
    String tooLong = Limits.text("address", address);
    if (tooLong != null) throw new IllegalArgumentException(tooLong);
    Address parsed;
    try {
      parsed = AddressFromURIString.parse(address);
    } catch (Exception e) {
      // Scala throws the checked MalformedURLException here, which a RuntimeException catch lets through (503)
      throw new IllegalArgumentException("malformed address '" + Limits.clip(address) + "': use pekko://avm@HOST:PORT");
    }
    for (Member m : cluster.state().getMembers()) {
      if (m.address().equals(parsed)) return m;
    }
    throw new Http.NotFound("no member at " + address);
  }

  private CompletionStage<HttpResponse> sharding() {
    List<CompletableFuture<ShardingStats.TypeStats>> all = new ArrayList<>();
    for (EntityTypeKey<?> key : TYPES) {
      CompletionStage<ShardRegion.ClusterShardingStats> stats = AskPattern.ask(sharding.shardState(),
          r -> new GetClusterShardingStats(key, timeout, r), timeout, node.system().scheduler());
      all.add(stats.thenApply(s -> typeStats(key.name(), s)).toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> Http.ok(new ShardingStats(all.stream().map(CompletableFuture::join).toList())));
  }

  private static ShardingStats.TypeStats typeStats(String name, ShardRegion.ClusterShardingStats s) {
    List<ShardingStats.RegionStats> regions = new ArrayList<>();
    int shards = 0;
    long entities = 0;
    for (Map.Entry<Address, ShardRegion.ShardRegionStats> e : s.getRegions().entrySet()) {
      Map<String, Integer> counts = new TreeMap<>();
      e.getValue().getStats().forEach((shard, n) -> counts.put(shard, ((Number) n).intValue()));
      shards += counts.size();
      entities += counts.values().stream().mapToLong(Integer::longValue).sum();
      regions.add(new ShardingStats.RegionStats(e.getKey().toString(), counts));
    }
    regions.sort((a, b) -> a.address().compareTo(b.address()));
    return new ShardingStats.TypeStats(name, regions, shards, entities);
  }
}
