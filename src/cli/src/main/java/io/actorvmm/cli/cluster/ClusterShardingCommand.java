package io.actorvmm.cli.cluster;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm cluster-sharding ...}: where the sharded entities live. */
@Command(name = "cluster-sharding", description = "Cluster sharding: region-stats.",
    subcommands = {ShardingRegionStats.class})
public final class ClusterShardingCommand extends NounCommand {}
