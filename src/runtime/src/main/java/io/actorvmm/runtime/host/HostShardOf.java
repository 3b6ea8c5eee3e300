package io.actorvmm.runtime.host;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/** Gives every host a shard of its own (shard id = host id), so the shard can live on the host's own node. */
final class HostShardOf extends ShardingMessageExtractor<ShardingEnvelope<HostEntity.Command>, HostEntity.Command> {

  @Override
  public String entityId(ShardingEnvelope<HostEntity.Command> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return entityId;
  }

  @Override
  public HostEntity.Command unwrapMessage(ShardingEnvelope<HostEntity.Command> envelope) {
    return envelope.message();
  }
}
