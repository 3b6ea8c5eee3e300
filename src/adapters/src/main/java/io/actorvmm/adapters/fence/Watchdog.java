package io.actorvmm.adapters.fence;

import io.actorvmm.adapters.support.ProcStats;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * A host's watchdog: a small process beside the node's JVM (started by it, in a session of its own,
 * so it survives the node's death and is not frozen with it) that stops every VM of the node's
 * hosts, and the node itself, when the node stops vouching for them.
 *
 * <p>Started as {@code Watchdog FENCE-DIR HOST-DIR...} (the node's {@code <data-dir>/fence/node-<port>}
 * and its hosts' data directories). The node renews it by rewriting {@code FENCE-DIR/renewal} every second while it is a
 * healthy member of the majority: {@code renew <seq> <pid> <start> <timeout-ms>}, where pid and start
 * (clock ticks since boot) name the node's process. The first renewal arms the watchdog for that
 * process. When the armed process has not renewed for the timeout (it died, froze, or found itself
 * cut off from the majority), the watchdog fences: SIGKILL of that process if it still exists, then
 * {@link Fence#stopHost} of each host directory. Renewals from another process (a restarted
 * node) never count for the armed one: a node that comes back after its cluster lost it finds its
 * VMs stopped, since the cluster starts them elsewhere once the timeout has passed. After a fence it
 * arms again for the next process that renews, and exits when none does within a minute, or when
 * the node writes {@code release <pid> <start>} (it stopped its VMs itself and leaves).
 *
 * <p>One watchdog per node: it holds a lock on {@code FENCE-DIR/watchdog.lock}, and a second one
 * exits at once. What it did goes to {@code FENCE-DIR/watchdog.log}.
 */
public final class Watchdog {
  private Watchdog() {}

  /** The renewal file in a watchdog's directory. */
  public static Path renewalFile(Path fenceDir) {
    return fenceDir.resolve("renewal");
  }

  /** The lock file a running watchdog holds. */
  public static Path lockFile(Path fenceDir) {
    return fenceDir.resolve("watchdog.lock");
  }

  /** The watchdog's log. */
  public static Path logFile(Path fenceDir) {
    return fenceDir.resolve("watchdog.log");
  }

  static final long POLL_MILLIS = 100;
  static final long IDLE_EXIT_MILLIS = 60_000;

  /** One line of the renewal file. */
  record Renewal(String kind, long seq, long pid, long start, long timeoutMillis) {
    static Renewal parse(String line) {
      String[] f = line.trim().split(" ");
      try {
        if (f.length == 5 && f[0].equals("renew")) {
          return new Renewal("renew", Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
              Long.parseLong(f[4]));
        }
        if (f.length == 3 && f[0].equals("release")) {
          return new Renewal("release", 0, Long.parseLong(f[1]), Long.parseLong(f[2]), 0);
        }
      } catch (NumberFormatException e) {
        return null;
      }
      return null;
    }

    boolean sameProcess(long p, long s) {
      return pid == p && start == s;
    }
  }

  /** {@code Watchdog FENCE-DIR HOST-DIR...}: runs until it is released or idle. */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Watchdog FENCE-DIR HOST-DIR...");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]);
    List<Path> hosts = java.util.Arrays.stream(args).skip(1).map(Path::of).toList();
    Files.createDirectories(dataDir);
    try (FileChannel ch = FileChannel.open(lockFile(dataDir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = ch.tryLock()) {
      if (lock == null) return;
      run(dataDir, hosts);
    }
  }

  private static void run(Path dataDir, List<Path> hosts) throws InterruptedException {
    Fence.warmUp();
    log(dataDir, "watchdog " + ProcessHandle.current().pid() + " watches " + hosts);
    long armedPid = -1;
    long armedStart = -1;
    long armedTimeout = 0;
    long lastSeq = -1;
    long lastRenewal = 0;
    long idleSince = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      Renewal r = read(dataDir);
      if (r != null && r.kind().equals("release") && (armedPid < 0 || r.sameProcess(armedPid, armedStart))) {
        log(dataDir, "released by node process " + r.pid() + "; exits");
        return;
      }
      if (r != null && r.kind().equals("renew")) {
        if (armedPid < 0 && r.seq() != lastSeq && ProcStats.startTicks(r.pid()) == r.start()) {
          armedPid = r.pid();
          armedStart = r.start();
          lastRenewal = now;
          log(dataDir, "armed by node process " + armedPid + " (fence timeout " + r.timeoutMillis() + " ms)");
        }
        if (r.sameProcess(armedPid, armedStart)) {
          if (r.seq() != lastSeq) lastRenewal = now;
          armedTimeout = r.timeoutMillis();
        }
        lastSeq = r.seq();
      }
      if (armedPid >= 0 && now - lastRenewal > armedTimeout * 1_000_000L) {
        try {
          fence(dataDir, hosts, armedPid, armedStart, armedTimeout);
        } catch (RuntimeException e) {
          log(dataDir, "fencing failed: " + e);
        }
        armedPid = -1;
        armedStart = -1;
        idleSince = System.nanoTime();
      } else if (armedPid < 0 && now - idleSince > IDLE_EXIT_MILLIS * 1_000_000L) {
        log(dataDir, "no node renewed for " + IDLE_EXIT_MILLIS / 1000 + " s; exits");
        return;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static void fence(Path dataDir, List<Path> hosts, long pid, long start, long timeoutMillis) {
    log(dataDir, "FENCE: node process " + pid + " has not renewed for " + timeoutMillis + " ms");
    if (ProcStats.startTicks(pid) == start && Fence.killOne(pid)) log(dataDir, "killed node process " + pid);
    List<String> stopped = new java.util.ArrayList<>();
    for (Path host : hosts) stopped.addAll(Fence.stopHost(host));
    stopped.forEach(line -> log(dataDir, line));
    log(dataDir, "fenced: " + stopped.size() + " VMs stopped");
  }

  private static Renewal read(Path dataDir) {
    try {
      return Renewal.parse(Files.readString(renewalFile(dataDir), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    }
  }

  private static void log(Path dataDir, String line) {
    try {
      Files.writeString(logFile(dataDir), Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println(line);
    }
  }
}
