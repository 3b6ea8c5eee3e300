package io.actorvmm.cli.auth;

import io.actorvmm.api.model.CanIInfo;
import io.actorvmm.cli.NodeCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code avm auth can-i PRIVILEGE [PATH] [--as USER]}: explains an access decision; exit 0 allowed, 1 refused. */
@Command(name = "can-i", description = "Explain whether you (or --as USER) hold a privilege on a path; exit 0 yes, 1 no.")
final class AuthCanI extends NodeCommand {
  @Parameters(index = "0", paramLabel = "PRIVILEGE", description = "Such as vm.start, host.drain, audit.read.")
  String privilege;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", defaultValue = "/", description = "The object path (default /).")
  String path;

  @Option(names = "--as", paramLabel = "USER", description = "Another user (needs user.manage).")
  String as;

  @Override
  public Integer call() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("privilege", privilege);
    q.put("path", path);
    q.put("as", as);
    CanIInfo[] seen = new CanIInfo[1];
    int code = answer(node().get("/api/auth/can-i", q), CanIInfo.class, c -> {
      seen[0] = c;
      out().println((c.allowed() ? "yes: " : "no: ") + c.user() + " - " + c.reason());
      if (!c.routes().isEmpty()) out().println("routes that need " + c.privilege() + ": " + String.join(", ", c.routes()));
    });
    return seen[0] != null && !seen[0].allowed() ? 1 : code;
  }
}
