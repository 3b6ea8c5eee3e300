package io.actorvmm.cli.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import io.actorvmm.api.model.UserInfo;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.cli.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code avm user list}. */
@Command(name = "list", description = "List users and their grants.")
final class UserList extends NodeCommand {
  @Override
  public Integer call() {
    return answer(node().get("/api/users"), new TypeReference<List<UserInfo>>() {}, users -> {
      Table t = new Table("USER", "GRANTS");
      for (UserInfo u : users) t.row(u.name(), UserText.grants(u.grants()));
      t.print(out(), "no users");
    });
  }
}
