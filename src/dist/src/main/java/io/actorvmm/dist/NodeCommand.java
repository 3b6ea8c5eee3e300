package io.actorvmm.dist;

import io.actorvmm.api.AvmNode;
import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.Ids;
import io.actorvmm.domain.Resources;
import io.actorvmm.runtime.NodeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** ./avm node: starts one cluster node and runs until stopped (SIGTERM or Ctrl-C leave the cluster cleanly). */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Start one ActorVmm cluster node.")
public class NodeCommand implements Callable<Integer> {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--roles", split = ",", defaultValue = "seed,host", description = "seed, host or both (default ${DEFAULT-VALUE})")
  List<String> roles;

  @Option(names = "--hostname", defaultValue = "127.0.0.1", description = "address the node listens on for the cluster")
  String hostname;

  @Option(names = "--port", defaultValue = "2551", description = "cluster (Artery TCP) port")
  int port;

  @Option(names = "--api-port", defaultValue = "9110", description = "HTTP API port")
  int apiPort;

  @Option(names = "--api-bind", defaultValue = "127.0.0.1", description = "HTTP API address")
  String apiBind;

  @Option(names = "--seeds", split = ",", defaultValue = "127.0.0.1:2551", description = "seed nodes as host:port")
  List<String> seeds;

  @Option(names = "--journal", defaultValue = "h2", description = "h2 (embedded) or postgres")
  String journal;

  @Option(names = "--data-dir", defaultValue = "${env:AVM_DATA_DIR:-data}", description = "data directory (H2 journal)")
  Path dataDir;

  @Option(names = "--host-id", split = ",", description = "id of a host this node runs (repeat or comma-separate for several)")
  List<String> hostIds = new ArrayList<>();

  @Option(names = "--hypervisor", defaultValue = "simulated", description = "virtual layer of this node's hosts: simulated, qemu, libvirt or process")
  String hypervisor;

  @Option(names = "--simulated-state", defaultValue = "memory", description = "what simulated hosts keep "
      + "across a restart of the node: memory (their VMs' disks only, as a rebooted machine) or disk (their VMs "
      + "keep running too, as a real host's do after a crash of its control program)")
  String simulatedState;

  @Option(names = "--host-cpu", defaultValue = "16", description = "simulated host CPU cores")
  int hostCpu;

  @Option(names = "--host-memory", defaultValue = "65536", description = "simulated host memory in MiB")
  long hostMemory;

  @Option(names = "--host-storage", defaultValue = "2048", description = "simulated host storage in GiB")
  long hostStorage;

  @Option(names = "--host-network", defaultValue = "10000", description = "simulated host network in Mbit/s")
  long hostNetwork;

  @Option(names = "--copy-ms", defaultValue = "0", description = "simulated image copy time per VM in ms")
  long copyMs;

  @Option(names = "--boot-ms", defaultValue = "0", description = "simulated boot time per VM in ms")
  long bootMs;

  @Option(names = "--site", defaultValue = "local", description = "the hosts' site")
  String site;

  @Option(names = "--security-level", defaultValue = "0", description = "the hosts' security level")
  int securityLevel;

  @Option(names = "--keep-vms-running", description = "when the node stops normally, leave the VMs of process and "
      + "QEMU hosts running for the next start to adopt (default: they are stopped with the node); with fencing on, "
      + "the watchdog stops them once the fence timeout passes without the node, as the cluster then starts them "
      + "elsewhere")
  boolean keepVmsRunning;

  @Option(names = "--fencing", defaultValue = "watchdog", description = "how this node's hosts are fenced: watchdog "
      + "(a process beside the node stops their VMs, and the node, once the node stops vouching for them for the fence "
      + "timeout; the cluster starts them elsewhere only after that), manual (a lost host's VMs start elsewhere once an "
      + "operator confirms it dead: avm host confirm-dead) or off (membership alone: a lost host's VMs may still run "
      + "when they start elsewhere). libvirt hosts are always manual")
  String fencing;

  @Option(names = "--fence-timeout", defaultValue = "5s", description = "how long without renewal before the watchdog "
      + "fences (2s to 5min; default ${DEFAULT-VALUE})")
  String fenceTimeout;

  @Option(names = "--pg-url", defaultValue = "${env:AVM_PG_URL:-jdbc:postgresql://127.0.0.1:5432/avm}")
  String pgUrl;

  @Option(names = "--pg-user", defaultValue = "${env:AVM_PG_USER:-avm}")
  String pgUser;

  @Option(names = "--pg-password", defaultValue = "${env:AVM_PG_PASSWORD:-avm}")
  String pgPassword;

  /** The settings these options describe; throws ParameterException for bad values. */
  NodeSettings settings() {
    for (String r : roles) {
      if (!r.equals("seed") && !r.equals("host")) bad("role must be seed or host, not '" + r + "'");
    }
    if (!journal.equals("h2") && !journal.equals("postgres")) bad("journal must be h2 or postgres, not '" + journal + "'");
    if (!io.actorvmm.adapters.Adapters.KINDS.contains(hypervisor)) {
      bad("hypervisor must be one of " + String.join(", ", io.actorvmm.adapters.Adapters.KINDS) + ", not '"
          + hypervisor + "'");
    }
    if (port < 0 || port > 65535 || apiPort < 0 || apiPort > 65535) bad("ports must be between 0 and 65535");
    for (String seed : seeds) {
      if (!seed.matches("[^:\\s]+:\\d{1,5}")) bad("seed must be host:port, not '" + seed + "'");
    }
    for (String id : hostIds) {
      if (!Ids.valid(id)) bad(Ids.problem("host id", id));
    }
    if (!hostIds.isEmpty() && !roles.contains("host")) bad("--host-id needs the host role");
    Resources capacity = new Resources(hostCpu, hostMemory, hostStorage, hostNetwork);
    if (capacity.firstNegative() != null || hostCpu == 0 || hostMemory == 0) bad("host capacity must be positive");
    if (copyMs < 0 || bootMs < 0) bad("durations must not be negative");
    if (!simulatedState.equals("memory") && !simulatedState.equals("disk")) {
      bad("simulated-state must be memory or disk, not '" + simulatedState + "'");
    }
    if (!List.of("watchdog", "manual", "off").contains(fencing)) {
      bad("fencing must be watchdog, manual or off, not '" + fencing + "'");
    }
    Duration fence = duration("fence-timeout", fenceTimeout);
    io.actorvmm.domain.Fencing declared = io.actorvmm.domain.Fencing.watchdog(fence);
    if (declared.problem() != null) bad(declared.problem());
    return new NodeSettings(hostname, port, roles, seeds, apiBind, apiPort, journal, dataDir, hostIds, hypervisor,
        capacity, Duration.ofMillis(copyMs), Duration.ofMillis(bootMs), site, securityLevel, CostRates.FREE, pgUrl,
        pgUser, pgPassword, keepVmsRunning || simulatedState.equals("disk"),
        fencing.equals("off") ? null : fencing.equals("manual") ? NodeSettings.MANUAL_FENCING : fence);
  }

  /** A duration written as a number of seconds, or with an "ms", "s" or "min" unit. */
  private Duration duration(String option, String text) {
    var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|min)?").matcher(text.trim());
    if (!m.matches()) bad(option + " must be a duration such as 5s or 1500ms, not '" + text + "'");
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "min" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private void bad(String message) {
    throw new CommandLine.ParameterException(spec.commandLine(), message);
  }

  @Override
  public Integer call() {
    NodeSettings s = settings();
    AvmNode node;
    try {
      node = AvmNode.start(s);
      HostsOnExit.register(node);
      Signals.stopNodeOnSignals(node);
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().printf("node up: pekko://avm@%s:%d roles=%s hosts=%s api=http://%s:%d journal=%s%n",
        s.hostname(), s.port(), s.roles(), s.effectiveHostIds(), s.apiBind(), node.apiPort(), s.journal());
    spec.commandLine().getOut().printf("admin token: in %s (readable by its owner only; avm on this machine uses it)%n",
        node.runtime().adminToken().file());
    node.runtime().system().getWhenTerminated().toCompletableFuture().join();
    java.util.Optional<String> refusal = node.runtime().refusal();
    if (refusal.isPresent()) {
      spec.commandLine().getErr().println("error: " + refusal.get());
      System.exit(1);
    }
    if (node.runtime().downed()) {
      // a supervisor (systemd, Nomad) restarts a node that exits with an error
      spec.commandLine().getErr().println("error: the cluster downed this node (cut off, or on the minority side); "
          + "its VMs are stopped");
      HostsOnExit.close(node);
      System.exit(3);
    }
    System.exit(0);
    return 0;
  }
}
