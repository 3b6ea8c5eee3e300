package io.actorvmm.runtime.cluster;

import com.typesafe.config.Config;
import io.actorvmm.adapters.fence.Fence;
import io.actorvmm.adapters.fence.Watchdog;
import io.actorvmm.adapters.support.ProcStats;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of its hosts' fencing: starts the host's {@link Watchdog} process (when none runs
 * for the data directory) and renews it every {@code avm.fencing.renew-interval} while the node is a
 * healthy member of the majority; stops renewing as soon as it is not (downed, leaving for good, or
 * seeing no majority of the members reachable), so the watchdog stops the hosts' VMs and the node
 * once the fence timeout passes, before the cluster starts those VMs elsewhere.
 */
public final class FenceKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FenceKeeper.class);

  private final Cluster cluster;
  private final Path dataDir;
  private final List<Path> hostDirs;
  private final Duration timeout;
  private final ScheduledExecutorService timer;
  private final long pid = ProcessHandle.current().pid();
  private final long start = ProcStats.startTicks(ProcessHandle.current().pid());
  private long seq = System.currentTimeMillis();
  private volatile boolean stopped;
  private boolean released;
  private volatile boolean wasHealthy;
  private Process spawned;

  private FenceKeeper(Cluster cluster, Path fenceDir, List<Path> hostDirs, Duration timeout, Duration every) {
    this.cluster = cluster;
    this.dataDir = fenceDir;
    this.hostDirs = List.copyOf(hostDirs);
    this.timeout = timeout;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "avm-fence-renewal");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::tick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Checks the fencing settings against each other and the failure detector's; throws
   * IllegalArgumentException with a one-line reason when they cannot keep a VM from running twice.
   */
  public static void check(Config config, Duration timeout) {
    Duration every = config.getDuration("avm.fencing.renew-interval");
    Duration margin = config.getDuration("avm.fencing.failover-margin");
    Duration pause = config.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause");
    if (every.isNegative() || every.isZero()) throw new IllegalArgumentException("fencing renew-interval must be positive");
    if (timeout.compareTo(every.multipliedBy(3)) < 0) {
      throw new IllegalArgumentException("fence timeout " + timeout.toMillis() + " ms must be at least three renewals ("
          + every.multipliedBy(3).toMillis() + " ms)");
    }
    if (timeout.compareTo(pause.plus(every)) <= 0) {
      throw new IllegalArgumentException("fence timeout " + timeout.toMillis() + " ms must exceed the failure "
          + "detector's acceptable-heartbeat-pause plus a renewal (" + pause.plus(every).toMillis() + " ms), or a pause "
          + "the cluster forgives would stop the node's VMs");
    }
    Duration least = every.plusMillis(500);
    if (margin.compareTo(least) < 0) {
      throw new IllegalArgumentException("fencing failover-margin " + margin.toMillis() + " ms must be at least a "
          + "renewal plus 500 ms (" + least.toMillis() + " ms): the watchdog's polling and its kills take that long");
    }
  }

  /**
   * Starts renewing the watchdog (kept in {@code fenceDir}) of the hosts whose data is in {@code hostDirs},
   * for the node of {@code cluster}.
   */
  public static FenceKeeper start(Cluster cluster, Path fenceDir, List<Path> hostDirs, Duration timeout) {
    Config config = cluster.system().settings().config();
    check(config, timeout);
    return new FenceKeeper(cluster, fenceDir, hostDirs, timeout, config.getDuration("avm.fencing.renew-interval"));
  }

  private void tick() {
    if (stopped) return;
    try {
      boolean healthy = healthy(cluster.state(), cluster.selfMember());
      if (healthy) {
        write("renew " + (++seq) + " " + pid + " " + start + " " + timeout.toMillis());
        ensureWatchdog();
      } else if (wasHealthy) {
        LOG.warn("this node is no longer a healthy member of the majority: it stops renewing its watchdog, which stops "
            + "its hosts' VMs in {} ms unless it recovers", timeout.toMillis());
      }
      wasHealthy = healthy;
    } catch (RuntimeException | IOException e) {
      LOG.warn("renewing the watchdog failed: {}", e.getMessage());
    }
  }

  /**
   * True while the node may vouch for its hosts' VMs: it is Up (or WeaklyUp), and the members it can
   * reach, itself included, are a majority of the members, or half of them with the lowest address
   * among them (what the split-brain resolver's keep-majority keeps).
   */
  static boolean healthy(ClusterEvent.CurrentClusterState state, Member self) {
    if (self.status() != MemberStatus.up() && self.status() != MemberStatus.weaklyUp()) return false;
    List<Member> members = new ArrayList<>();
    for (Member m : state.getMembers()) {
      MemberStatus st = m.status();
      if (st == MemberStatus.up() || st == MemberStatus.weaklyUp() || st == MemberStatus.leaving()) members.add(m);
    }
    if (members.isEmpty()) return false;
    java.util.Set<Address> unreachable = new java.util.HashSet<>();
    for (Member m : state.getUnreachable()) unreachable.add(m.address());
    if (unreachable.contains(self.address())) unreachable.remove(self.address());
    long reachable = members.stream().filter(m -> !unreachable.contains(m.address())).count();
    if (reachable * 2 > members.size()) return true;
    if (reachable * 2 < members.size()) return false;
    Member lowest = members.stream().min((a, b) -> Member.addressOrdering().compare(a.address(), b.address()))
        .orElseThrow();
    return !unreachable.contains(lowest.address());
  }

  private void write(String line) throws IOException {
    Path file = Watchdog.renewalFile(dataDir);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("renewal.new");
    Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Starts a watchdog unless one holds the data directory's lock (or the one started last is starting). */
  private void ensureWatchdog() throws IOException {
    // one lock probe a renewal: a running watchdog holds the lock, a just-started one is still starting
    if (locked() || (spawned != null && spawned.isAlive())) return;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) cmd.add("/usr/bin/setsid");
    cmd.addAll(List.of(java, "-Xmx24m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Watchdog.class.getName(), dataDir.toString()));
    hostDirs.forEach(h -> cmd.add(h.toString()));
    Path out = dataDir.resolve("watchdog.out");
    spawned = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    LOG.info("started the hosts' watchdog (pid {}), fence timeout {} ms", spawned.pid(), timeout.toMillis());
  }

  /** True when a watchdog holds the lock of this data directory. */
  private boolean locked() throws IOException {
    try (FileChannel ch = FileChannel.open(Watchdog.lockFile(dataDir), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) return true;
      lock.release();
      return false;
    }
  }

  /**
   * Stops renewing. {@code vmsStopped}: the node stopped its hosts' VMs itself, so the watchdog is
   * released and exits; otherwise it fences them once the timeout passes.
   */
  public synchronized void stop(boolean vmsStopped) {
    try {
      if (!stopped) {
        stopped = true;
        timer.shutdownNow();
        timer.awaitTermination(2, TimeUnit.SECONDS);
      }
      if (vmsStopped && !released) {
        released = true;
        write("release " + pid + " " + start);
      }
    } catch (IOException | InterruptedException e) {
      LOG.warn("releasing the watchdog failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    stop(false);
  }
}
