package io.actorvmm.cli.host;

import io.actorvmm.api.model.DrainInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.NodeClient;
import java.io.PrintWriter;

/** Following a drain until its host is empty, printing each change. */
final class HostWait {
  private HostWait() {}

  /** Polls {@code path} until no VM is left; 0 then, 1 after {@code timeoutSeconds}. */
  static int untilEmpty(NodeClient node, String path, PrintWriter out, int timeoutSeconds) {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    String shown = null;
    while (true) {
      DrainInfo d = NodeClient.MAPPER.convertValue(node.get(path), DrainInfo.class);
      String line = d.remaining().size() + " left, " + d.moving().size() + " moving"
          + (d.waiting().isEmpty() ? "" : ", waiting: " + d.waiting());
      if (!line.equals(shown)) {
        out.println(line);
        out.flush();
        shown = line;
      }
      if (d.remaining().isEmpty()) {
        out.println("host " + d.hostId() + ": " + d.status() + " (" + d.reason() + ")");
        return 0;
      }
      if (System.nanoTime() > deadline) {
        out.println("the drain has not finished after " + timeoutSeconds + " s; see why above");
        return CliException.FAILURE;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CliException.FAILURE;
      }
    }
  }
}
