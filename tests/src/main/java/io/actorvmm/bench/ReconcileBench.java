package io.actorvmm.bench;

import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.agent.AgentRegistry;
import io.actorvmm.runtime.agent.HostAgent;
import io.actorvmm.runtime.vm.VmState;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Reconciliation, two figures:
 * <ul>
 *   <li>{@code restart}: a node whose simulated host held {@code --vms} running VMs stops (its host keeps
 *       the disks, runs nothing, as a rebooted machine) and starts again on the same journal; the figure
 *       is the time from its start until every VM runs again in place (restarted by its policy, seen in
 *       the node's read side), the baseline the time the node takes until its host is registered and
 *       Up; the ratio says how much longer than registering the recovery of the VMs takes.</li>
 *   <li>{@code reconcile}: a host holding {@code --vms} running VMs; the figure is the CPU one reconcile
 *       pass costs per VM (passes asked back to back, less the node's idle CPU over the same time), the
 *       baseline the CPU per VM of listing them from the virtual layer alone (the part no pass avoids).</li>
 * </ul>
 */
final class ReconcileBench {
  private ReconcileBench() {}

  private static NodeSettings settings(BenchDb db, int vms) {
    return BenchNode.settings(db).withHosts(List.of("r1")).withCapacity(BenchNode.capacityFor(vms));
  }

  private static long runningAgain(BenchNode node, String prefix) {
    long n = 0;
    for (VmState v : node.runtime.journal().inventory().vms()) {
      if (v.vmId().startsWith(prefix) && v.phase() == VmPhase.RUNNING && v.reason() != null
          && v.reason().contains("restarted in place")) {
        n++;
      }
    }
    return n;
  }

  private static void startVms(BenchNode node, String prefix, int vms, Duration timeout) throws Exception {
    BenchNode.Drive d = node.drive(prefix, 0, vms, true, 64);
    if (d.failed() > 0) throw new IllegalStateException(d.failed() + " VMs failed: " + d.firstError());
    if (!BenchNode.waitUntil(timeout, () -> node.runningInInventory(prefix) == vms)) {
      throw new IllegalStateException("only " + node.runningInInventory(prefix) + " of " + vms + " running");
    }
  }

  /** The restart figure. */
  static Report restart(Bench.Args a, String kind) throws Exception {
    int vms = a.integer("vms", 100);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 120));
    Report report = new Report("restart", kind);
    BenchDb db = BenchDb.create(kind);
    try {
      try (BenchNode first = BenchNode.start(settings(db, vms))) {
        startVms(first, "rs-", vms, timeout);
      }
      long t0 = System.nanoTime();
      try (BenchNode again = BenchNode.start(settings(db, vms))) {
        long registered = System.nanoTime() - t0;
        if (!BenchNode.waitUntil(timeout, () -> runningAgain(again, "rs-") == vms)) {
          throw new IllegalStateException("only " + runningAgain(again, "rs-") + " of " + vms + " running again");
        }
        long all = System.nanoTime() - t0;
        report.figure(all / 1e9, "s", "from the node's start until all " + vms + " VMs run again in place")
            .baseline(registered / 1e9, "from the node's start until its host is registered and Up")
            .target("all running again within 20 s", all < Duration.ofSeconds(20).toNanos())
            .note("%d VMs on one simulated host; restarted %s after the host was Up", vms,
                BenchNode.secs(all - registered));
      }
    } finally {
      db.close();
    }
    return report;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The CPU figure. */
  static Report cpu(Bench.Args a, String kind) throws Exception {
    int vms = a.integer("vms", 5000);
    int passes = a.integer("passes", 200);
    Duration timeout = Duration.ofSeconds(a.integer("timeout-s", 300));
    Report report = new Report("reconcile", kind);
    BenchDb db = BenchDb.create(kind);
    try (BenchNode node = BenchNode.start(settings(db, vms))) {
      startVms(node, "rc-", vms, timeout);
      ActorRef<HostAgent.Command> agent = AgentRegistry.get(node.system).find("r1");
      HypervisorAdapter adapter = node.runtime.adapter("r1");
      // warm up both sides until the compiler is quiet enough, then measure in alternation
      for (int i = 0; i < passes; i++) {
        pass(node, agent);
        adapter.list();
      }
      BenchNode.sleep(2000);
      long idleT0 = System.nanoTime();
      long idleC0 = processCpuNanos();
      BenchNode.sleep(3000);
      double idlePerNano = (processCpuNanos() - idleC0) / (double) (System.nanoTime() - idleT0);

      long t0 = System.nanoTime();
      long c0 = processCpuNanos();
      int compared = 0;
      for (int i = 0; i < passes; i++) compared = pass(node, agent);
      long wall = System.nanoTime() - t0;
      long passCpu = processCpuNanos() - c0 - (long) (idlePerNano * wall);

      long l0 = processCpuNanos();
      long lt0 = System.nanoTime();
      for (int i = 0; i < passes; i++) adapter.list();
      long listWall = System.nanoTime() - lt0;
      long listCpu = processCpuNanos() - l0 - (long) (idlePerNano * listWall);

      double perVmPass = passCpu / 1e3 / passes / vms;
      double perVmList = Math.max(1e-9, listCpu / 1e3 / passes / vms);
      double coreShare = perVmPass * vms / 1e6 / 10.0 * 100;  // one pass every 10 s
      report.figure(perVmPass, "µs CPU per VM per pass", passes + " passes over " + vms + " running VMs ("
              + compared + " compared per pass)")
          .baseline(perVmList, "µs CPU per VM of the adapter's list() alone")
          .target("a pass every 10 s costs under 1% of one core", coreShare < 1.0)
          .note("one pass every 10 s over %d VMs: %.3f%% of one core; idle node: %.1f%% of one core", vms, coreShare,
              idlePerNano * 100);
    } finally {
      db.close();
    }
    return report;
  }

  private static int pass(BenchNode node, ActorRef<HostAgent.Command> agent) throws Exception {
    return AskPattern.<HostAgent.Command, Integer>ask(agent, HostAgent.ReconcileNow::new, Duration.ofSeconds(30),
        node.system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
