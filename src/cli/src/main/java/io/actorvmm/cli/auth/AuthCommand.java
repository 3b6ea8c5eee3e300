package io.actorvmm.cli.auth;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm auth ...}: who you are and what you may do. */
@Command(name = "auth", description = "Access: whoami, can-i.", subcommands = {AuthWhoami.class, AuthCanI.class})
public final class AuthCommand extends NounCommand {}
