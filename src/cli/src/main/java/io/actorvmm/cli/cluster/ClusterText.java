package io.actorvmm.cli.cluster;

import io.actorvmm.api.model.MessageBody;
import java.io.PrintWriter;

/** How the cluster verbs' acknowledgements read as text. */
final class ClusterText {
  private ClusterText() {}

  /** The node's message, then the addresses it downed, one a line. */
  static void message(PrintWriter out, MessageBody m) {
    out.println(m.message());
    if (m.downed() != null) for (String address : m.downed()) out.println("  downed " + address);
  }
}
