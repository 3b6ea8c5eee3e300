package io.actorvmm.dist;

import io.actorvmm.api.AvmNode;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM stop a node in order: the node leaves the cluster and its actor system
 * terminates (Pekko's coordinated shutdown) before the JVM runs its shutdown hooks. Without this the
 * embedded database's own hook could close the journal under a node still stopping, which then
 * printed the failures of its last queries. While the node stops, the log is silenced: entities
 * that were being handed over fail against the closing journal, and those failures say nothing about
 * a node that is leaving on purpose.
 */
final class Signals {
  private static volatile boolean stopping;

  private Signals() {}

  /** True once a signal asked the node to stop. */
  static boolean stopping() {
    return stopping;
  }

  /** On SIGINT or SIGTERM: stop {@code node} (waiting up to 30 s), then exit with status 0. */
  static void stopNodeOnSignals(AvmNode node) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          stopping = true;
          System.err.println("avm: stopping the node (SIG" + s.getName() + ")");
          ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
              .setLevel(ch.qos.logback.classic.Level.OFF);
          node.runtime().system().terminate();
          try {
            node.runtime().system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            // stopping took too long or failed: exit anyway, the JVM's hooks still run
          }
          System.exit(0);
        });
      } catch (IllegalArgumentException unsupported) {
        // this platform does not let the JVM handle the signal: Pekko's own shutdown hook still runs
      }
    }
  }
}
