package io.actorvmm.cli.auth;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm token ...}: API tokens. */
@Command(name = "token", description = "API tokens: create, list, revoke.",
    subcommands = {TokenCreate.class, TokenList.class, TokenRevoke.class})
public final class TokenCommand extends NounCommand {}
