package io.actorvmm.dist;

import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.api.AvmNode;
import java.util.concurrent.TimeUnit;

/**
 * Closes a node's hosts before its JVM exits. The runtime closes them in a callback on the actor
 * system's termination, but that callback runs on a daemon thread which the exiting JVM does not
 * wait for: after a Ctrl-C, a SIGTERM or the end of {@code demo --duration}, programs and QEMU
 * processes were left running without a node. A shutdown hook is waited for, so closing here ends
 * them (an adapter made to keep its VMs running only lets go of them).
 */
final class HostsOnExit {
  private HostsOnExit() {}

  /** Closes the hosts of {@code node} when the JVM exits, however it is asked to. */
  static void register(AvmNode node) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node), "avm-close-hosts"));
  }

  /** Stops the node (waiting up to 30 s), then closes each of its hosts' adapters. */
  static void close(AvmNode node) {
    // the host agents stop first, so none of them acts on a VM the adapter is ending
    node.runtime().system().terminate();
    try {
      node.runtime().system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the node did not stop in time: its VMs must still not outlive it
    }
    for (String hostId : node.runtime().settings().effectiveHostIds()) {
      HypervisorAdapter adapter = node.runtime().adapter(hostId);
      if (adapter == null) continue;
      try {
        adapter.close();
      } catch (RuntimeException e) {
        System.err.println("avm: closing host " + hostId + " failed: " + e.getMessage());
      }
    }
  }
}
