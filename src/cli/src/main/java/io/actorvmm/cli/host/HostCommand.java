package io.actorvmm.cli.host;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm host ...}: the physical machines. */
@Command(name = "host", description = "Physical machines: list, show, drain, undrain, replace.",
    subcommands = {HostList.class, HostShow.class, HostDrain.class, HostUndrain.class, HostReplace.class,
        HostConfirmDead.class})
public final class HostCommand extends NounCommand {}
