package io.actorvmm.cli.auth;

import io.actorvmm.api.model.WhoAmI;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.Credentials;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.cli.NodeCommand;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/**
 * {@code avm login}: reads a token from standard input, checks it with the node, and saves it in the
 * user's config directory (readable by the user only) for the next commands. Never on the command
 * line, where other users' {@code ps} would see it.
 */
@Command(name = "login", description = "Read an API token from standard input, check it, and save it for later commands.")
public final class Login extends NodeCommand {
  @Override
  public Integer call() {
    if (context().in() == null) throw CliException.usage("login reads the token from standard input: avm login < token-file");
    String token;
    try {
      token = context().in().readLine();
    } catch (IOException e) {
      throw new CliException("cannot read the token: " + e.getMessage(), CliException.FAILURE, e);
    }
    if (token == null || token.isBlank()) throw CliException.usage("no token on standard input");
    NodeClient client = new NodeClient(context().http(), globals.address(), globals.user(), token.strip(),
        context().env().requestTimeout());
    WhoAmI me = NodeClient.MAPPER.convertValue(client.get("/api/auth/whoami"), WhoAmI.class);
    Path file = Credentials.save(context().env(), token.strip());
    out().println("logged in as " + me.principal() + " (token " + me.token() + "); saved to " + file);
    return 0;
  }
}
