package io.actorvmm.cli.auth;

import io.actorvmm.api.model.GrantBody;
import io.actorvmm.api.model.UserInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm user grant <name> <role> [path]}. */
@Command(name = "grant", description = "Grant a user a role on a path and everything below it (default /).")
final class UserGrant extends NodeCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The user.")
  String name;

  @Parameters(index = "1", paramLabel = "ROLE", description = "admin, operator, moderator, viewer or user.")
  String role;

  @Parameters(index = "2", arity = "0..1", paramLabel = "PATH", defaultValue = "/",
      description = "The object path: /, /hosts/h1, /services/shop, /modules/lab (default /).")
  String path;

  @Override
  public Integer call() {
    return answer(node().post(NodeClient.path("api", "users", name, "grant"), new GrantBody(role, path)), UserInfo.class,
        u -> out().println(UserText.line(u)));
  }
}
