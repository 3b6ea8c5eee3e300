package io.actorvmm.cli.auth;

import picocli.CommandLine.Command;

/** {@code avm user grant <name> <role> [path]}. */
@Command(name = "grant", description = "Grant a user a role on a path and everything below it (default /).")
final class UserGrant extends GrantChange {
  @Override
  String verb() {
    return "grant";
  }
}
