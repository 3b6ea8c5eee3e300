package io.actorvmm.cli.auth;

import io.actorvmm.api.model.IssuedToken;
import io.actorvmm.api.model.TokenBody;
import io.actorvmm.cli.NodeCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code avm token create}: issues a token; its text is printed once, here, and never again. */
@Command(name = "create", description = "Issue an API token (printed once: keep it).")
final class TokenCreate extends NodeCommand {
  @Option(names = "--owner", paramLabel = "USER", description = "The user it acts as (default: you).")
  String owner;

  @Option(names = "--role", paramLabel = "ROLE", description = "Narrow it to this role of the owner's grants (repeatable).")
  List<String> roles;

  @Option(names = "--expires-in", paramLabel = "DURATION", description = "How long it lasts: seconds or ISO-8601 (PT8H).")
  String expiresIn;

  @Option(names = "--label", paramLabel = "TEXT", description = "What it is for.")
  String label;

  @Override
  public Integer call() {
    return answer(node().post("/api/tokens", new TokenBody(owner, roles, expiresIn, label)), IssuedToken.class, t -> {
      out().println(t.token());
      out().println("token " + t.info().tokenId() + " of " + t.info().owner()
          + (t.info().expiresAt() == null ? "" : ", expires " + t.info().expiresAt())
          + ": keep it now, it is not shown again");
    });
  }
}
