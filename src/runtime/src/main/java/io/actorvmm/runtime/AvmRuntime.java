package io.actorvmm.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.Adapters;
import io.actorvmm.runtime.agent.HostAgent;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.cluster.HostMonitor;
import io.actorvmm.runtime.cluster.JournalIdentityCheck;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.move.MoveEntity;
import io.actorvmm.runtime.move.ReadSide;
import io.actorvmm.runtime.scheduler.Scheduler;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.view.Journal;
import io.actorvmm.runtime.vm.VmEntity;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its actor system in the cluster, the sharded entities, the control-plane
 * singletons, the read sides, and the control programs of the hosts it runs.
 */
public final class AvmRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AvmRuntime.class);

  private final NodeSettings settings;
  private final ActorSystem<Void> system;
  private volatile Journal journal;
  // how often hosts publish their VMs' activity for autoscaling rules
  private static final Duration ACTIVITY_EVERY = Duration.ofSeconds(1);
  private final Map<String, HypervisorAdapter> adapters = new LinkedHashMap<>();
  private final ActorRef<Scheduler.Command> scheduler;
  private final io.actorvmm.runtime.cluster.FenceKeeper fenceKeeper;
  private boolean hostsClosed;
  private final io.actorvmm.runtime.auth.AdminToken adminToken;
  private final ActorRef<io.actorvmm.runtime.auth.DenialLog.Command> denials;

  private AvmRuntime(NodeSettings settings, ActorSystem<Void> system) {
    this.settings = settings;
    this.system = system;
    // the scheduler retries the VMs this node's inventory read side lists as Pending
    this.scheduler = Scheduler.init(system, () -> this.journal == null ? List.of() : this.journal.inventory().pendingVmIds());
    HostMonitor.init(system);
    HostEntity.init(system, scheduler);
    VmEntity.init(system, scheduler);
    AppEntity.init(system);
    ServiceEntity.init(system);
    MoveEntity.init(system, scheduler);
    io.actorvmm.runtime.auth.TokenEntity.init(system);
    io.actorvmm.runtime.auth.UserEntity.init(system);
    this.denials = system.systemActorOf(io.actorvmm.runtime.auth.DenialLog.create(settings.hostname() + ":" + settings.port()),
        "denials", Props.empty());
    this.adminToken = io.actorvmm.runtime.auth.AdminToken.load(settings.dataDir());
    adminToken.register(system);
    this.journal = new Journal(system).startInventory();
    // moves, drains and failover consult the node's read side for service rules and plans
    ReadSide.get(system).use(() -> this.journal == null ? null : this.journal.inventory());
    for (String hostId : settings.effectiveHostIds()) {
      HypervisorAdapter adapter = adapterFor(settings, hostId);
      adapters.put(hostId, adapter);
      system.systemActorOf(HostAgent.create(hostId, adapter,
              new HostAgent.HostProfile(settings.site(), settings.securityLevel(), settings.costRates(),
                  settings.fencing())),
          "agent-" + hostId, Props.empty());
      system.systemActorOf(io.actorvmm.runtime.activity.ActivityReporter.create(hostId, adapter,
          () -> this.journal.inventory().runningOn(hostId), ACTIVITY_EVERY), "activity-" + hostId, Props.empty());
    }
    // the hosts' VMs stop with the node (or are left for the next start, as the settings say) before the
    // actor system ends, so nothing is left orphaned by a node that stops normally; after termination too,
    // for a system that ends without coordinated shutdown (close is idempotent)
    // a node whose hosts a watchdog fences renews it while it is a healthy member of the majority
    this.fenceKeeper = settings.isHost() && settings.fencing().mode() == io.actorvmm.domain.Fencing.Mode.WATCHDOG
        ? io.actorvmm.runtime.cluster.FenceKeeper.start(org.apache.pekko.cluster.Cluster.get(
            org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system)),
            settings.dataDir().resolve("fence").resolve("node-" + settings.port()),
            settings.effectiveHostIds().stream().map(h -> settings.dataDir().resolve("hosts").resolve(h)).toList(),
            settings.fenceTimeout())
        : null;
    org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
        org.apache.pekko.actor.CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-hypervisor-adapters",
        () -> {
          closeHosts();
          return java.util.concurrent.CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
        });
    system.getWhenTerminated().thenRun(this::closeHosts);
  }

  /**
   * Closes the hosts' adapters as the node ends. A node the cluster downed (it was cut off, or found
   * itself on the minority side) stops every VM of its hosts first, whatever {@code keepVmsRunning}
   * says: the cluster starts them elsewhere. Its watchdog is then released, as it is after a normal
   * stop that stopped the VMs; VMs left running for the next start stay under the watchdog, which
   * stops them once the fence timeout passes without the node.
   */
  private synchronized void closeHosts() {
    if (hostsClosed) return;
    hostsClosed = true;
    boolean downed = downed();
    if (fenceKeeper != null) fenceKeeper.stop(false);
    adapters.values().forEach(HypervisorAdapter::close);
    if (downed && !adapters.isEmpty()) {
      List<String> stopped = new java.util.ArrayList<>();
      for (String h : adapters.keySet()) {
        stopped.addAll(io.actorvmm.adapters.fence.Fence.stopHost(settings.dataDir().resolve("hosts").resolve(h)));
      }
      LOG.warn("this node was downed by the cluster: stopped its hosts' VMs before exiting ({} stopped)", stopped.size());
    }
    if (fenceKeeper != null && (downed || !settings.keepVmsRunning())) fenceKeeper.stop(true);
  }

  /** True when the cluster downed this node (it was cut off or on the minority side), so it ends. */
  public boolean downed() {
    var reason = org.apache.pekko.actor.CoordinatedShutdown.get(system).getShutdownReason();
    return reason.isPresent() && reason.get() instanceof org.apache.pekko.actor.CoordinatedShutdown.ClusterDowningReason$;
  }

  /** The JVM property that sizes the common fork-join pool. */
  public static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  static {
    useCommonPoolForAsyncCallbacks();
    confineEmbeddedDatabase();
  }

  /** The JVM property that binds the embedded H2 database's server (its AUTO_SERVER mode). */
  public static final String H2_BIND_ADDRESS = "h2.bindAddress";

  /**
   * Makes the server the embedded H2 journal opens for the other local nodes listen on the loopback
   * address only, unless the property is set already (by default it listens on every interface). H2
   * reads it once, when its classes load, so {@code Main} calls this first thing and this class when
   * loaded.
   */
  public static void confineEmbeddedDatabase() {
    if (System.getProperty(H2_BIND_ADDRESS) == null) System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
  }

  /** True when {@code address} names only this machine (a loopback address or localhost). */
  static boolean loopback(String address) {
    if (address.equals("localhost")) return true;
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /**
   * Makes CompletableFuture's asynchronous callbacks run on the common fork-join pool. On a machine
   * with fewer than three cores that pool has a parallelism of one, and then every asynchronous
   * callback without an executor starts a thread of its own; the Java futures Pekko's javadsl returns
   * run even their plain callbacks asynchronously (every {@code ask} and {@code pipeToSelf} does),
   * so a node there started thousands of threads a second. Takes effect only before the pool is first
   * used, so {@code Main} calls it first thing, the scripts pass the property, and this class calls it
   * when loaded.
   */
  public static void useCommonPoolForAsyncCallbacks() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  /** Starts a node with these settings (joins the cluster in the background). */
  public static AvmRuntime start(NodeSettings settings) {
    // nothing checks who calls yet: a node reachable from other machines says so
    if (!loopback(settings.apiBind())) {
      LOG.warn("the API listens on {} without TLS or authentication: anyone who reaches it can run any command",
          settings.apiBind());
    }
    if (!loopback(settings.hostname())) {
      LOG.warn("the cluster port listens on {} without TLS: anyone who reaches it can join the cluster",
          settings.hostname());
    }
    if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2) {
      LOG.warn("the common fork-join pool has a parallelism of {}: asynchronous callbacks start a thread each;"
          + " run the JVM with -D{}=2", java.util.concurrent.ForkJoinPool.getCommonPoolParallelism(),
          COMMON_POOL_PARALLELISM);
    }
    Config config = config(settings);
    JournalSchema.ensure(config);
    config = withJournalIdentity(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "avm", config);
    try {
      return new AvmRuntime(settings, system);
    } catch (RuntimeException e) {
      system.terminate();
      // refused by the cluster while starting: the refusal is what the operator needs to read
      java.util.Optional<String> refused = refusalOf(system);
      if (refused.isPresent()) throw new IllegalStateException(refused.get(), e);
      throw e;
    }
  }

  /**
   * The configuration with the journal's identity ({@code avm.journal-identity}), read from the journal
   * before the actor system exists, so a node on another journal is refused when it joins.
   */
  static Config withJournalIdentity(Config config) {
    String url = config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url");
    return config
        .withValue(JournalIdentityCheck.ID, ConfigValueFactory.fromAnyRef(JournalSchema.identity(config)))
        .withValue(JournalIdentityCheck.WHERE, ConfigValueFactory.fromAnyRef(JournalIdentityCheck.where(url)));
  }

  /**
   * Why the node stopped, when the cluster refused it because its journal is not the cluster's: one line
   * for the operator; empty while it runs or when it stopped for another reason.
   */
  public java.util.Optional<String> refusal() {
    return refusalOf(system);
  }

  private static java.util.Optional<String> refusalOf(ActorSystem<?> system) {
    var reason = org.apache.pekko.actor.CoordinatedShutdown.get(system).getShutdownReason();
    if (reason.isEmpty()
        || !reason.get().equals(org.apache.pekko.actor.CoordinatedShutdown.incompatibleConfigurationDetectedReason())) {
      return java.util.Optional.empty();
    }
    Config c = system.settings().config();
    return java.util.Optional.of("refused by the cluster: this node's journal (" + c.getString(JournalIdentityCheck.ID)
        + ", " + c.getString(JournalIdentityCheck.WHERE) + ") is not the cluster's");
  }

  /**
   * Makes {@code dir} readable and writable by its owner only: it holds the embedded journal and the key
   * of its server (in {@code journal.lock.db}), the hosts' state and the fencing files.
   */
  static void ownerOnly(java.nio.file.Path dir) throws java.io.IOException {
    if (Files.getFileStore(dir).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** The full configuration of a node: its settings over the chosen journal profile over the defaults. */
  public static Config config(NodeSettings s) {
    try {
      Files.createDirectories(s.dataDir());
      ownerOnly(s.dataDir());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create data directory " + s.dataDir() + ": " + e.getMessage(), e);
    }
    List<String> seedUris = s.seeds().stream().map(a -> "pekko://avm@" + a).toList();
    Config overrides = ConfigFactory.empty()
        .withValue("avm.node.hostname", ConfigValueFactory.fromAnyRef(s.hostname()))
        .withValue("avm.node.port", ConfigValueFactory.fromAnyRef(s.port()))
        .withValue("avm.node.roles", ConfigValueFactory.fromIterable(s.clusterRoles()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedUris))
        .withValue("avm.api.bind", ConfigValueFactory.fromAnyRef(s.apiBind()))
        .withValue("avm.api.port", ConfigValueFactory.fromAnyRef(s.apiPort()))
        .withValue("avm.journal", ConfigValueFactory.fromAnyRef(s.journal()))
        .withValue("avm.data-dir-absolute", ConfigValueFactory.fromAnyRef(s.dataDir().toAbsolutePath().toString()));
    if (s.pgUrl() != null) overrides = overrides.withValue("avm.postgres.url", ConfigValueFactory.fromAnyRef(s.pgUrl()));
    if (s.pgUser() != null) overrides = overrides.withValue("avm.postgres.user", ConfigValueFactory.fromAnyRef(s.pgUser()));
    if (s.pgPassword() != null) {
      overrides = overrides.withValue("avm.postgres.password", ConfigValueFactory.fromAnyRef(s.pgPassword()));
    }
    String profile = switch (s.journal()) {
      case "h2" -> "persistence-h2.conf";
      case "postgres" -> "persistence-postgres.conf";
      default -> throw new IllegalArgumentException("journal must be h2 or postgres, not " + s.journal());
    };
    // the defaults stay unresolved until every layer is stacked, so their ${avm...} substitutions see the overrides
    return ConfigFactory.defaultOverrides()
        .withFallback(overrides)
        .withFallback(ConfigFactory.parseResources(profile))
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  /**
   * The virtual layer of host {@code hostId}: the node's hypervisor kind, with the host's capacity as
   * the node declares it and its data under {@code <data-dir>/hosts/<host>}. A simulated host offers
   * the simulated, qemu and process runtime types (it stands in for either kind of host); a real one
   * offers what its adapter runs. QEMU VMs are capped to a small size ({@code AVM_QEMU_MEMORY_CAP_MIB},
   * default 128, one CPU) so demos and tests run many of them under software emulation.
   */
  static HypervisorAdapter adapterFor(NodeSettings s, String hostId) {
    Map<String, String> o = new java.util.HashMap<>();
    o.put("cpu", Integer.toString(s.hostCapacity().cpuCores()));
    o.put("memoryMiB", Long.toString(s.hostCapacity().memoryMiB()));
    o.put("diskGiB", Long.toString(s.hostCapacity().storageGiB()));
    o.put("networkMbit", Long.toString(s.hostCapacity().networkMbit()));
    switch (s.hypervisor()) {
      case "simulated" -> {
        o.put("copyMillis", Long.toString(s.copyDuration().toMillis()));
        o.put("bootMillis", Long.toString(s.bootDuration().toMillis()));
        o.put("runtimes", "simulated,qemu,process");
        o.put("durable", Boolean.toString(s.keepVmsRunning()));
      }
      case "qemu" -> {
        o.put("memoryCapMiB", System.getenv().getOrDefault("AVM_QEMU_MEMORY_CAP_MIB", "128"));
        o.put("cpuCap", "1");
        o.put("keepRunning", Boolean.toString(s.keepVmsRunning()));
      }
      case "process" -> o.put("keepRunning", Boolean.toString(s.keepVmsRunning()));
      default -> { }
    }
    return Adapters.create(s.hypervisor(), hostId, s.dataDir().resolve("hosts").resolve(hostId), o);
  }

  /** The node's actor system. */
  public ActorSystem<Void> system() {
    return system;
  }

  /** The settings the node was started with. */
  public NodeSettings settings() {
    return settings;
  }

  /** The journal read sides of this node. */
  public Journal journal() {
    return journal;
  }

  /** The administrator token of this node's data directory. */
  public io.actorvmm.runtime.auth.AdminToken adminToken() {
    return adminToken;
  }

  /** This node's log of refused requests. */
  public ActorRef<io.actorvmm.runtime.auth.DenialLog.Command> denials() {
    return denials;
  }

  /** The scheduler singleton's proxy. */
  public ActorRef<Scheduler.Command> scheduler() {
    return scheduler;
  }

  /** The virtual layer of host {@code hostId} run by this node (for fault injection in tests and demos). */
  public HypervisorAdapter adapter(String hostId) {
    return adapters.get(hostId);
  }

  /** Leaves the cluster and stops the node, waiting up to {@code timeout}. */
  public void stop(Duration timeout) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("node did not stop within {}", timeout);
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
