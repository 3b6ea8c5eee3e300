package io.actorvmm.cli.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import io.actorvmm.api.model.TokenInfo;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code avm token list}: every token, never its secret. */
@Command(name = "list", description = "List API tokens: id, owner, roles, status, expiry.")
final class TokenList extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/tokens"), new TypeReference<List<TokenInfo>>() {}, tokens -> {
      Table t = new Table("TOKEN", "OWNER", "ROLES", "STATUS", "EXPIRES", "LABEL");
      for (TokenInfo i : tokens) {
        t.row(i.tokenId(), i.owner(), i.roles().isEmpty() ? "all" : String.join(",", i.roles()), i.status(),
            i.expiresAt() == null ? "never" : i.expiresAt(), i.label());
      }
      t.print(out(), "no tokens");
    });
  }
}
