package io.actorvmm.cli.auth;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm user ...}: users and their grants. */
@Command(name = "user", description = "Users: create, list, grant, revoke.",
    subcommands = {UserCreate.class, UserList.class, UserGrant.class, UserRevoke.class})
public final class UserCommand extends NounCommand {}
