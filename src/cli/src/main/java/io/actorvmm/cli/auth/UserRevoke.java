package io.actorvmm.cli.auth;

import picocli.CommandLine.Command;

/** {@code avm user revoke <name> <role> [path]}. */
@Command(name = "revoke", description = "Take back a grant of a user.")
final class UserRevoke extends GrantChange {
  @Override
  String verb() {
    return "revoke";
  }
}
