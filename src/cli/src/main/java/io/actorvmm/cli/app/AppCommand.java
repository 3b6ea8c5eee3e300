package io.actorvmm.cli.app;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm app ...}: applications, the replicated parts of services. */
@Command(name = "app", description = "Applications: list, show.", subcommands = {AppList.class, AppShow.class})
public final class AppCommand extends NounCommand {}
