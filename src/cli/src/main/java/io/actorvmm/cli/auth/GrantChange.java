package io.actorvmm.cli.auth;

import io.actorvmm.api.model.GrantBody;
import io.actorvmm.api.model.UserInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Parameters;

/** {@code avm user grant|revoke <name> <role> [path]}: one grant given or taken back ({@link #verb()}). */
abstract class GrantChange extends NodeCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The user.")
  String name;

  @Parameters(index = "1", paramLabel = "ROLE", description = "admin, operator, moderator, viewer or user.")
  String role;

  @Parameters(index = "2", arity = "0..1", paramLabel = "PATH", defaultValue = "/",
      description = "The object path: /, /hosts/h1, /services/shop, /modules/lab (default /).")
  String path;

  /** The last word of the route: grant or revoke. */
  abstract String verb();

  @Override
  public Integer call() {
    return answer(node().post(NodeClient.path("api", "users", name, verb()), new GrantBody(role, path)), UserInfo.class,
        u -> out().println(UserText.line(u)));
  }
}
