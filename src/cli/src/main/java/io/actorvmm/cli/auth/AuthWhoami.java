package io.actorvmm.cli.auth;

import io.actorvmm.api.model.WhoAmI;
import io.actorvmm.cli.Block;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;

/** {@code avm auth whoami}: the principal the node sees and its grants. */
@Command(name = "whoami", description = "Show who the node takes you for, with which token and grants.")
final class AuthWhoami extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/auth/whoami"), WhoAmI.class, w -> new Block()
        .add("principal", w.principal()).add("token", w.token()).addIfPresent("note", w.note())
        .add("grants", UserText.grants(w.grants())).print(out()));
  }
}
