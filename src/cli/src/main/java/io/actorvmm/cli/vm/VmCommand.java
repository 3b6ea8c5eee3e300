package io.actorvmm.cli.vm;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm vm ...}: virtual machines. */
@Command(name = "vm", description = "Virtual machines: list, show, create, start, stop, move.",
    subcommands = {VmList.class, VmShow.class, VmCreate.class, VmStart.class, VmStop.class, VmMove.class})
public final class VmCommand extends NounCommand {}
