package io.actorvmm.runtime;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one node is started with: its address and roles, the seeds it joins, its API port,
 * its journal, and for a host-role node the hosts it runs and their virtual layer ({@code keepVmsRunning}:
 * the hosts' VMs outlive the node's process: QEMU and process VMs are left running when the node stops,
 * for its next start to adopt, and simulated hosts' running VMs run on across a restart; false: they stop
 * with the node, their disks kept).
 */
public record NodeSettings(String hostname, int port, List<String> roles, List<String> seeds, String apiBind,
                           int apiPort, String journal, Path dataDir, List<String> hostIds, String hypervisor,
                           Resources hostCapacity, Duration copyDuration, Duration bootDuration, String site,
                           int securityLevel, CostRates costRates, String pgUrl, String pgUser, String pgPassword,
                           boolean keepVmsRunning, Duration fenceTimeout) {

  /**
   * The settings of a node without fencing: {@code fenceTimeout} null (see {@link #withFencing}).
   */
  public NodeSettings(String hostname, int port, List<String> roles, List<String> seeds, String apiBind,
                      int apiPort, String journal, Path dataDir, List<String> hostIds, String hypervisor,
                      Resources hostCapacity, Duration copyDuration, Duration bootDuration, String site,
                      int securityLevel, CostRates costRates, String pgUrl, String pgUser, String pgPassword,
                      boolean keepVmsRunning) {
    this(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, hostIds, hypervisor, hostCapacity,
        copyDuration, bootDuration, site, securityLevel, costRates, pgUrl, pgUser, pgPassword, keepVmsRunning, null);
  }

  /** Copies lists so the record stays immutable. */
  public NodeSettings {
    roles = List.copyOf(roles);
    seeds = List.copyOf(seeds);
    hostIds = List.copyOf(hostIds);
  }

  /** A single node with both roles on 127.0.0.1 with the given ports, H2 under {@code dataDir}, and no hosts. */
  public static NodeSettings local(int port, int apiPort, Path dataDir) {
    return new NodeSettings("127.0.0.1", port, List.of("seed", "host"), List.of("127.0.0.1:" + port), "127.0.0.1",
        apiPort, "h2", dataDir, List.of(), "simulated", new Resources(32, 65536, 2048, 10000), Duration.ZERO,
        Duration.ZERO, "local", 0, CostRates.FREE, null, null, null, false, null);
  }

  /** True when this node runs hosts. */
  public boolean isHost() {
    return roles.contains("host");
  }

  /** The hosts this node runs: the given ids, or one named after the port when it has the host role but no ids. */
  public List<String> effectiveHostIds() {
    if (!isHost()) return List.of();
    return hostIds.isEmpty() ? List.of("host-" + port) : hostIds;
  }

  /** The cluster roles: the given ones plus one {@code host-id:X} per host. */
  public List<String> clusterRoles() {
    List<String> out = new ArrayList<>(roles);
    for (String h : effectiveHostIds()) out.add("host-id:" + h);
    return out;
  }

  /** A copy with other hosts. */
  public NodeSettings withHosts(List<String> ids) {
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, ids, hypervisor,
        hostCapacity, copyDuration, bootDuration, site, securityLevel, costRates, pgUrl, pgUser, pgPassword, keepVmsRunning, fenceTimeout);
  }

  /** A copy with another journal and PostgreSQL connection. */
  public NodeSettings withJournal(String kind, String url, String user, String password) {
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, kind, dataDir, hostIds, hypervisor,
        hostCapacity, copyDuration, bootDuration, site, securityLevel, costRates, url, user, password, keepVmsRunning,
        fenceTimeout);
  }

  /** A copy with other roles and seeds. */
  public NodeSettings withRoles(List<String> newRoles, List<String> newSeeds) {
    return new NodeSettings(hostname, port, newRoles, newSeeds, apiBind, apiPort, journal, dataDir, hostIds,
        hypervisor, hostCapacity, copyDuration, bootDuration, site, securityLevel, costRates, pgUrl, pgUser,
        pgPassword, keepVmsRunning, fenceTimeout);
  }

  /** A copy whose simulated hosts take this long to copy and boot a VM. */
  public NodeSettings withDelays(Duration copy, Duration boot) {
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, hostIds, hypervisor,
        hostCapacity, copy, boot, site, securityLevel, costRates, pgUrl, pgUser, pgPassword, keepVmsRunning, fenceTimeout);
  }

  /** A copy whose hosts run on the virtual layer {@code kind} (simulated, qemu, libvirt, process). */
  public NodeSettings withHypervisor(String kind) {
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, hostIds, kind,
        hostCapacity, copyDuration, bootDuration, site, securityLevel, costRates, pgUrl, pgUser, pgPassword, keepVmsRunning, fenceTimeout);
  }

  /** A copy whose hosts have this capacity. */
  public NodeSettings withCapacity(Resources capacity) {
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, hostIds, hypervisor,
        capacity, copyDuration, bootDuration, site, securityLevel, costRates, pgUrl, pgUser, pgPassword, keepVmsRunning, fenceTimeout);
  }

  /** A copy whose hosts' VMs outlive the node's process (true) or stop with it (false). */
  public NodeSettings withKeepVmsRunning(boolean durable) {
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, hostIds, hypervisor,
        hostCapacity, copyDuration, bootDuration, site, securityLevel, costRates, pgUrl, pgUser, pgPassword, durable, fenceTimeout);
  }

  /** A copy whose hosts declare this site, security level and cost rates. */
  public NodeSettings withHostProfile(String newSite, int newSecurityLevel, CostRates newCostRates) {
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, hostIds, hypervisor,
        hostCapacity, copyDuration, bootDuration, newSite, newSecurityLevel, newCostRates, pgUrl, pgUser, pgPassword,
        keepVmsRunning, fenceTimeout);
  }

  /**
   * A copy whose hosts are fenced by a watchdog process that stops their VMs {@code timeout} after the
   * node stops renewing it (null: no fencing; the cluster trusts membership alone, so a lost host's
   * VMs may still run when they start elsewhere).
   */
  public NodeSettings withFencing(Duration timeout) {
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, hostIds, hypervisor,
        hostCapacity, copyDuration, bootDuration, site, securityLevel, costRates, pgUrl, pgUser, pgPassword,
        keepVmsRunning, timeout);
  }

  /** The fence timeout that asks for an operator's confirmation instead of a watchdog. */
  public static final Duration MANUAL_FENCING = Duration.ZERO;

  /**
   * How this node's hosts are fenced: none without a fence timeout; by an operator when the timeout is
   * {@link #MANUAL_FENCING}, or for libvirt (its domains live in a daemon that may be on another
   * machine); else by the watchdog.
   */
  public io.actorvmm.domain.Fencing fencing() {
    if (fenceTimeout == null) return io.actorvmm.domain.Fencing.NONE;
    if (fenceTimeout.isZero() || hypervisor.equals("libvirt")) return io.actorvmm.domain.Fencing.manual();
    return io.actorvmm.domain.Fencing.watchdog(fenceTimeout);
  }
}
