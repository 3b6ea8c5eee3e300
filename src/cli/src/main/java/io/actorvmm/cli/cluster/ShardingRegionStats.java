package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.ShardingStats;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import picocli.CommandLine.Command;

/** {@code avm cluster-sharding region-stats}: shards and entities per entity type and node. */
@Command(name = "region-stats", description = "Show, per entity type, how many shards and entities each node hosts.")
final class ShardingRegionStats extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/cluster/sharding"), ShardingStats.class, this::print);
  }

  private void print(ShardingStats stats) {
    Table t = new Table("TYPE", "REGION", "SHARDS", "ENTITIES");
    if (stats.types() != null) {
      for (ShardingStats.TypeStats type : stats.types()) {
        if (type.regions() != null) {
          for (ShardingStats.RegionStats r : type.regions()) {
            int shards = r.shards() == null ? 0 : r.shards().size();
            long entities = r.shards() == null ? 0 : r.shards().values().stream().mapToLong(Integer::longValue).sum();
            t.row(type.typeName(), r.address(), shards, entities);
          }
        }
        t.row(type.typeName(), "(total)", type.totalShards(), type.totalEntities());
      }
    }
    t.print(out(), "no sharded entity types");
  }
}
