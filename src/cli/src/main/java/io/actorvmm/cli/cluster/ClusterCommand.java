package io.actorvmm.cli.cluster;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm cluster ...}: membership, as Akka's pbm tool names it. */
@Command(name = "cluster", description = "Cluster membership: show, leader, leave, down, down-unreachable; rebalance.",
    subcommands = {ClusterShow.class, ClusterLeader.class, ClusterLeave.class, ClusterDown.class,
        ClusterDownUnreachable.class, ClusterRebalance.class})
public final class ClusterCommand extends NounCommand {}
