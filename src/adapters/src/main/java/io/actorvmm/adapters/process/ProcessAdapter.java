package io.actorvmm.adapters.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.DataBundle;
import io.actorvmm.adapters.HostInventory;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.ObservedVm;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.VmStatistics;
import io.actorvmm.adapters.support.DataDirs;
import io.actorvmm.adapters.support.Listeners;
import io.actorvmm.adapters.support.ProcStats;
import io.actorvmm.domain.ProgramSpec;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A host whose "VMs" are programs (the "process" runtime type): each runs its
 * {@link ProgramSpec} with {@link ProcessBuilder}, in its work directory (default: its data
 * directory) with its environment plus {@code AVM_VM_ID} and {@code AVM_DATA_DIR}, its output appended
 * to {@code <dataDir>/<vmId>/program.log}.
 *
 * <ul>
 *   <li>start completes once the health check passes (polled every 100 ms, see {@link HealthCheck});
 *       it fails when the program exits first or the check does not pass within the start timeout.</li>
 *   <li>An exit the adapter did not cause is reported CRASHED to {@link #onStateChange} listeners at
 *       once (the JDK reaps its children and completes {@link Process#onExit()}).</li>
 *   <li>COLD_MOVE: the application's own data is {@code <dataDir>/<vmId>/data/}; the bundle of a
 *       stopped application is that directory in place ({@code file:} uri), import copies it with
 *       progress. An explicit work directory is the application's installation and is not moved.</li>
 *   <li>STATISTICS and APP_STATISTICS: CPU (over the interval since the previous reading) and resident
 *       memory of the program's process from /proc; the application figure is named after the
 *       program's executable. Child processes of the program are not counted.</li>
 *   <li>LIVE_MIGRATION is not supported: a process's memory cannot be moved.</li>
 *   <li>A running program's process id is kept in {@code <dataDir>/<vmId>/program.pid}. On
 *       construction a program left running by an earlier run of the node is adopted (RUNNING) when
 *       that process is alive and is this VM's program: its command line is the VM's command, or its
 *       environment carries the VM's {@code AVM_DATA_DIR} (a shell may have exec'd another program).
 *       Not being our child, its exit is noticed by looking at /proc every second and reported CRASHED.
 *       A program that is gone leaves the VM STOPPED with its data (DEFINED without data).</li>
 *   <li>{@link #list()} answers from memory and one directory lookup per VM (its data).</li>
 *   <li>{@link #close()} ends every program, adopted ones included, unless the option
 *       {@code keepRunning} is true.</li>
 * </ul>
 */
public final class ProcessAdapter implements HypervisorAdapter {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SPEC = "spec.json";
  private static final String TEMPLATE = "template.json";

  private final String hostId;
  private final Path dataDir;
  private final Resources capacity;
  private final Duration startTimeout;
  private final boolean keepRunning;
  private final Map<String, ProgramRun> runs = new ConcurrentHashMap<>();
  private final Listeners listeners = new Listeners();
  private final ProcStats procStats = new ProcStats();
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "process-adapter");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "process-adapter-watch");
    t.setDaemon(true);
    return t;
  });

  /** A program host keeping its applications' directories under {@code dataDir}. */
  public ProcessAdapter(String hostId, Path dataDir, Resources capacity, Duration startTimeout, boolean keepRunning) {
    this.hostId = hostId;
    this.dataDir = dataDir.toAbsolutePath();
    this.capacity = capacity;
    this.startTimeout = startTimeout;
    this.keepRunning = keepRunning;
    try {
      Files.createDirectories(this.dataDir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create data directory " + dataDir + ": " + e.getMessage());
    }
    loadDefined();
    watcher.scheduleWithFixedDelay(this::watchAdopted, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public String kind() {
    return "process";
  }

  @Override
  public HostInventory inventory() {
    return new HostInventory(capacity, List.of("process"));
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.COLD_MOVE, Capability.STATISTICS, Capability.APP_STATISTICS);
  }

  @Override
  public void onStateChange(BiConsumer<String, VmRuntimeState> listener) {
    listeners.add(listener);
  }

  /** The program of a defined VM with its placeholders filled in, or null when the VM is unknown. */
  public ProgramSpec resolvedProgram(String vmId) {
    ProgramRun r = runs.get(vmId);
    return r == null ? null : r.spec.program();
  }

  /** The operating-system process id of a running application. */
  public Optional<Long> pid(String vmId) {
    ProgramRun r = runs.get(vmId);
    ProcessHandle h = r == null ? null : r.handle();
    return h != null ? Optional.of(h.pid()) : Optional.empty();
  }

  @Override
  public void define(String vmId, VmSpec requested) {
    if (requested.program() == null) throw new AdapterException("vm " + vmId + " has no program to run");
    ProgramRun existing = runs.get(vmId);
    // a VM defined again keeps the port it was given, so its address does not change between starts
    VmSpec spec = existing != null && existing.spec.program() != null && sameTemplate(existing, requested)
        ? existing.spec : resolve(vmId, requested);
    ProgramRun r = runs.computeIfAbsent(vmId, id -> new ProgramRun(id, dataDir.resolve(id), spec, VmRuntimeState.DEFINED));
    r.template = requested.program();
    r.spec = spec;
    try {
      Files.createDirectories(r.dir);
      JSON.writeValue(r.dir.resolve(SPEC).toFile(), spec);
      // kept so that a define after a restart of the node keeps the port of a program still running
      JSON.writeValue(r.dir.resolve(TEMPLATE).toFile(), requested.program());
    } catch (IOException e) {
      throw new AdapterException("cannot define " + vmId + ": " + e.getMessage(), e);
    }
  }

  /**
   * The spec with its program's placeholders filled in: {@code {vm}} becomes the VM's id and
   * {@code {port}} a free TCP port on this machine (one per VM), in the command, the environment and
   * the health check. Several replicas of one application can so run side by side on one machine.
   */
  static VmSpec resolve(String vmId, VmSpec spec) {
    ProgramSpec p = spec.program();
    String port = String.valueOf(io.actorvmm.adapters.support.Ports.free());
    java.util.function.UnaryOperator<String> fill = t -> t == null ? null : t.replace("{vm}", vmId).replace("{port}", port);
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    p.env().forEach((k, v) -> env.put(k, fill.apply(v)));
    return spec.withProgram(new ProgramSpec(p.command().stream().map(fill).toList(), fill.apply(p.workDir()), env,
        fill.apply(p.health())));
  }

  private static boolean sameTemplate(ProgramRun r, VmSpec requested) {
    return r.template != null && r.template.equals(requested.program());
  }

  @Override
  public CompletionStage<Void> copyImage(String vmId, VmSpec spec, IntConsumer progressPercent) {
    ProgramRun r = require(vmId);
    if (r.running()) return failed("vm " + vmId + " runs; stop it before copying its image");
    try {
      Files.createDirectories(r.dataDir());
    } catch (IOException e) {
      return failed("cannot create data of " + vmId + ": " + e.getMessage());
    }
    progressPercent.accept(100);
    r.state = VmRuntimeState.READY;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> start(String vmId) {
    ProgramRun r = require(vmId);
    synchronized (r) {
      if (r.running()) {
        return r.state == VmRuntimeState.RUNNING ? CompletableFuture.completedFuture(null)
            : failed("vm " + vmId + " is starting already");
      }
      if (!Files.isDirectory(r.dataDir())) return failed("vm " + vmId + " has no data on this host; copy its image first");
      try {
        r.process = launch(r);
        r.adopted = null;
        Files.writeString(r.pidFile(), r.process.pid() + "\n");
      } catch (IOException e) {
        if (r.process != null) terminate(r);
        r.state = VmRuntimeState.STOPPED;
        return failed("cannot start " + vmId + ": " + e.getMessage());
      }
      r.expectExit = false;
      r.state = VmRuntimeState.BOOTING;
      watch(r, r.process);
    }
    return async(() -> awaitHealthy(r, r.process));
  }

  private Process launch(ProgramRun r) throws IOException {
    ProgramSpec program = r.spec.program();
    ProcessBuilder pb = new ProcessBuilder(program.command());
    Path work = program.workDir() == null || program.workDir().isBlank() ? r.dataDir() : Path.of(program.workDir());
    pb.directory(work.toFile());
    pb.environment().putAll(program.env());
    pb.environment().put("AVM_VM_ID", r.id);
    pb.environment().put("AVM_DATA_DIR", r.dataDir().toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(r.log().toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return pb.start();
  }

  private Void awaitHealthy(ProgramRun r, Process p) {
    HealthCheck check = new HealthCheck(r.spec.program().health());
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new AdapterException("program of " + r.id + " exited with code " + p.exitValue()
            + " before it was healthy: " + lastLogLine(r));
      }
      if (check.passes()) {
        synchronized (r) {
          if (r.process == p && p.isAlive()) {
            r.state = VmRuntimeState.RUNNING;
            return null;
          }
        }
        continue;
      }
      if (System.nanoTime() > deadline) {
        terminate(r);
        r.state = VmRuntimeState.STOPPED;
        throw new AdapterException("program of " + r.id + " did not pass health check " + check + " within "
            + startTimeout.toSeconds() + " s");
      }
      sleep(100);
    }
  }

  @Override
  public CompletionStage<Void> stop(String vmId) {
    ProgramRun r = require(vmId);
    return async(() -> {
      synchronized (r) {
        terminate(r);
        if (r.state != VmRuntimeState.DEFINED && r.state != VmRuntimeState.READY) r.state = VmRuntimeState.STOPPED;
      }
      return null;
    });
  }

  @Override
  public void destroy(String vmId) {
    ProgramRun r = runs.remove(vmId);
    if (r == null) return;
    synchronized (r) {
      terminate(r);
      DataDirs.delete(r.dir);
    }
  }

  @Override
  public VmRuntimeState status(String vmId) {
    ProgramRun r = runs.get(vmId);
    return r == null ? VmRuntimeState.UNKNOWN : observed(r);
  }

  /** The VM's state, reading CRASHED for a RUNNING one whose adopted process is gone before the watcher noticed. */
  private static VmRuntimeState observed(ProgramRun r) {
    VmRuntimeState s = r.state;
    return s == VmRuntimeState.RUNNING && !r.expectExit && !r.running() ? VmRuntimeState.CRASHED : s;
  }

  @Override
  public List<ObservedVm> list() {
    List<ObservedVm> out = new ArrayList<>(runs.size());
    for (ProgramRun r : runs.values()) out.add(new ObservedVm(r.id, observed(r), Files.isDirectory(r.dataDir())));
    return out;
  }

  @Override
  public Set<String> vmIds() {
    return Set.copyOf(runs.keySet());
  }

  @Override
  public VmStatistics statistics(String vmId) {
    ProgramRun r = runs.get(vmId);
    ProcessHandle p = r == null ? null : r.handle();
    if (p == null || r.state != VmRuntimeState.RUNNING) return VmStatistics.NONE;
    double cpu = procStats.cpuPercent(p.pid());
    String app = Path.of(r.spec.program().command().get(0)).getFileName().toString();
    return new VmStatistics(cpu / Math.max(1, r.spec.cpuCores()), ProcStats.rssKiB(p.pid()) / 1024,
        DataDirs.size(r.dataDir()) >> 30, 0, Map.of(app, cpu));
  }

  @Override
  public boolean hostAlive() {
    return true;
  }

  // ---- cold move ---------------------------------------------------------------------------------

  @Override
  public CompletionStage<DataBundle> exportData(String vmId, IntConsumer progressPercent) {
    ProgramRun r = require(vmId);
    if (r.running()) return failed("vm " + vmId + " must be stopped to export its data");
    if (!Files.isDirectory(r.dataDir())) return failed("vm " + vmId + " has no data on this host");
    return async(() -> {
      long bytes = DataDirs.size(r.dataDir());
      progressPercent.accept(100);
      return new DataBundle(hostId, r.dataDir().toUri().toString(), bytes);
    });
  }

  @Override
  public CompletionStage<Void> importData(String vmId, VmSpec spec, DataBundle bundle, IntConsumer progressPercent) {
    Path from;
    try {
      from = DataDirs.fromUri(bundle.uri());
    } catch (AdapterException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (!Files.isDirectory(from)) return failed("bundle " + bundle.uri() + " is not readable from host " + hostId);
    ProgramRun existing = runs.get(vmId);
    if (existing != null && existing.running()) return failed("vm " + vmId + " runs on this host; cannot import over it");
    define(vmId, spec);
    ProgramRun r = require(vmId);
    r.state = VmRuntimeState.COPYING;
    return async(() -> {
      try {
        DataDirs.copy(from, r.dataDir(), rel -> false, progressPercent);
        r.state = VmRuntimeState.READY;
        return null;
      } catch (RuntimeException e) {
        r.state = VmRuntimeState.DEFINED;
        throw e;
      }
    });
  }

  @Override
  public void deleteData(String vmId) {
    ProgramRun r = runs.get(vmId);
    if (r == null) return;
    if (r.running()) throw new AdapterException("vm " + vmId + " runs; stop it before deleting its data");
    DataDirs.delete(r.dataDir());
    r.state = VmRuntimeState.DEFINED;
  }

  @Override
  public boolean hasData(String vmId) {
    ProgramRun r = runs.get(vmId);
    return r != null && Files.isDirectory(r.dataDir());
  }

  @Override
  public void close() {
    if (!keepRunning) {
      for (ProgramRun r : runs.values()) terminate(r);
    } else {
      runs.values().forEach(r -> r.expectExit = true);
    }
    watcher.shutdownNow();
    workers.shutdownNow();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private void watch(ProgramRun r, Process p) {
    p.onExit().thenRun(() -> {
      if (r.expectExit || r.process != p) return;
      if (r.state == VmRuntimeState.BOOTING) {
        r.state = VmRuntimeState.STOPPED; // the pending start fails with the reason
        return;
      }
      deletePidFile(r);
      r.state = VmRuntimeState.CRASHED;
      listeners.fire(r.id, VmRuntimeState.CRASHED);
    });
  }

  /** Notices the exit of adopted programs, which this JVM cannot wait for as they are not its children. */
  private void watchAdopted() {
    for (ProgramRun r : runs.values()) {
      if (r.adopted == null || r.process != null || r.running()) continue;
      r.adopted = null;
      if (r.expectExit) continue;
      deletePidFile(r);
      r.state = VmRuntimeState.CRASHED;
      listeners.fire(r.id, VmRuntimeState.CRASHED);
    }
  }

  /** The process of {@code r}'s pidfile, if it is alive and runs this VM's program. */
  private static Optional<ProcessHandle> adoptable(ProgramRun r) {
    long pid;
    try {
      pid = Long.parseLong(Files.readString(r.pidFile()).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    if (!ProcStats.alive(pid) || r.spec.program() == null) return Optional.empty();
    boolean ours = ProcStats.argv(pid).equals(r.spec.program().command())
        || ProcStats.environ(pid).contains("AVM_DATA_DIR=" + r.dataDir());
    return ours ? ProcessHandle.of(pid) : Optional.empty();
  }

  private static void deletePidFile(ProgramRun r) {
    try {
      Files.deleteIfExists(r.pidFile());
    } catch (IOException ignored) {
      // a stale pidfile is checked against /proc before it is believed
    }
  }

  /** Ends the program (child or adopted) and its descendants: SIGTERM, then SIGKILL after 5 s. */
  private static void terminate(ProgramRun r) {
    r.expectExit = true;
    ProcessHandle h = r.handle();
    if (h != null) {
      List<ProcessHandle> children = h.descendants().toList();
      h.destroy();
      children.forEach(ProcessHandle::destroy);
      if (!awaitExit(r, 5_000)) {
        h.destroyForcibly();
        awaitExit(r, 5_000);
      }
      children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
    r.adopted = null;
    deletePidFile(r);
  }

  /** Waits until the program no longer runs; a child is waited for, an adopted one looked at every 20 ms. */
  private static boolean awaitExit(ProgramRun r, long millis) {
    try {
      Process p = r.process;
      if (p != null) return p.waitFor(millis, TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + millis * 1_000_000;
      while (r.running()) {
        if (System.nanoTime() > deadline) return false;
        Thread.sleep(20);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !r.running();
    }
  }

  private void loadDefined() {
    try (Stream<Path> dirs = Files.list(dataDir)) {
      for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(SPEC))).toList()) {
        VmSpec spec = JSON.readValue(dir.resolve(SPEC).toFile(), VmSpec.class);
        boolean data = Files.isDirectory(dir.resolve("data"));
        String id = dir.getFileName().toString();
        ProgramRun r = new ProgramRun(id, dir, spec, data ? VmRuntimeState.STOPPED : VmRuntimeState.DEFINED);
        if (Files.isRegularFile(dir.resolve(TEMPLATE))) {
          r.template = JSON.readValue(dir.resolve(TEMPLATE).toFile(), ProgramSpec.class);
        }
        Optional<ProcessHandle> live = adoptable(r);
        if (live.isPresent()) {
          r.adopted = live.get();
          r.state = VmRuntimeState.RUNNING;
        } else {
          deletePidFile(r);
        }
        runs.put(id, r);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read data directory " + dataDir + ": " + e.getMessage());
    }
  }

  private static String lastLogLine(ProgramRun r) {
    try {
      List<String> lines = Files.readAllLines(r.log());
      for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).trim();
    } catch (IOException ignored) {
      // no output
    }
    return "no output";
  }

  private ProgramRun require(String vmId) {
    ProgramRun r = runs.get(vmId);
    if (r == null) throw new AdapterException("vm " + vmId + " is not defined on this host");
    return r;
  }

  private <T> CompletableFuture<T> async(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, workers);
  }

  private static <T> CompletableFuture<T> failed(String message) {
    return CompletableFuture.failedFuture(new AdapterException(message));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdapterException("interrupted");
    }
  }
}
