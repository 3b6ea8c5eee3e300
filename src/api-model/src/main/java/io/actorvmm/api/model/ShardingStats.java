package io.actorvmm.api.model;

import java.util.List;
import java.util.Map;

/** Entity counts per shard per node, for every sharded entity type. */
public record ShardingStats(List<TypeStats> types) {

  /** One entity type's shards across the cluster. */
  public record TypeStats(String typeName, List<RegionStats> regions, int totalShards, long totalEntities) {}

  /** The shards one node's region hosts, with their entity counts. */
  public record RegionStats(String address, Map<String, Integer> shards) {}
}
