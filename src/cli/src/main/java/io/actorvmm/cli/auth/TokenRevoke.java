package io.actorvmm.cli.auth;

import io.actorvmm.api.model.TokenInfo;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm token revoke <id>}: the token is refused from the next request on, on every node. */
@Command(name = "revoke", description = "Revoke an API token.")
final class TokenRevoke extends NodeCommand {
  @Parameters(paramLabel = "TOKEN-ID", description = "The token's id (avm token list).")
  String tokenId;

  @Override
  public Integer call() {
    return answer(node().post(NodeClient.path("api", "tokens", tokenId, "revoke"), null), TokenInfo.class,
        t -> out().println("token " + t.tokenId() + " of " + t.owner() + ": " + t.status()));
  }
}
