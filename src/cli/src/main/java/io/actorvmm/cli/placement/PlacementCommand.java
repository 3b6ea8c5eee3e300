package io.actorvmm.cli.placement;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm placement ...}: why VMs are where they are, and what a change would do. */
@Command(name = "placement", description = "Placement: explain a VM's placement, try a scenario with what-if.",
    subcommands = {PlacementExplainCommand.class, PlacementWhatIf.class})
public final class PlacementCommand extends NounCommand {}
