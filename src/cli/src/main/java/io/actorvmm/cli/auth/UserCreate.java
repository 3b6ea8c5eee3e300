package io.actorvmm.cli.auth;

import io.actorvmm.api.model.UserBody;
import io.actorvmm.api.model.UserInfo;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm user create <name>}. */
@Command(name = "create", description = "Create a user (without grants; see avm user grant).")
final class UserCreate extends NodeCommand {
  @Parameters(paramLabel = "NAME", description = "The user's name.")
  String name;

  @Override
  public Integer call() {
    return answer(node().post("/api/users", new UserBody(name)), UserInfo.class, u -> out().println(UserText.line(u)));
  }
}
