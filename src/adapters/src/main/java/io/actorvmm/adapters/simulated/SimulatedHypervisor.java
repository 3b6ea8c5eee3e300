package io.actorvmm.adapters.simulated;

import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.DataBundle;
import io.actorvmm.adapters.HostInventory;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.adapters.MigrationResult;
import io.actorvmm.adapters.ObservedVm;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.VmStatistics;
import io.actorvmm.adapters.support.DataDirs;
import io.actorvmm.adapters.support.Listeners;
import io.actorvmm.domain.VmSpec;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * An in-memory, deterministic virtual layer for demos, tests and scale runs. Copy and boot take
 * configurable durations (zero answers at once), capacity is configurable, and faults can be
 * injected: fail the next start, copy, export, import or migration, crash one VM, or crash the whole
 * host.
 *
 * <p>Data: a VM has data here once its image was copied or imported. Export and import take the copy
 * duration. Simulated hosts in one JVM hand data and migrating VMs to each other through a static
 * registry keyed by the bundle's or endpoint's uri; a bundle from elsewhere (an unknown uri) imports as
 * metadata without data content, which is all a simulated VM has anyway.
 *
 * <p>Live migration between processes on one machine: a host that keeps a state file awaits an
 * incoming VM in a file {@code incoming/<vmId>.await} next to it (holding the awaiting process's id),
 * and its endpoint uri is that file's {@code file:} uri. A source in another JVM (the uri is not in its
 * registry) checks that the file is there and its process alive, runs the migration, and writes
 * {@code <vmId>.arrived} beside it; the target settles the VM as RUNNING when it reads that file (on
 * finishIncoming, abortIncoming or a status request).
 *
 * <p>Kept state (a {@code stateFile} in the settings): every change of a VM's definition, state or
 * data is written to the file (a new file moved over the old one) before the call that made it
 * returns, and a new instance over the same file starts with those VMs, the way a real host's VMs and
 * disks outlive a crash of the control program that drives them. What was half done when the process
 * died is settled as a real host would find it: a copy or import under way left no data, a boot under
 * way left the VM stopped, and an incoming live migration that had not arrived left nothing. Whether
 * VMs that ran are running again depends on {@code keepRunning}: true, they are (like hypervisor
 * processes that outlive their control program); false, they are stopped with their data (like a
 * machine that rebooted: disks kept, nothing runs).
 */
public final class SimulatedHypervisor implements HypervisorAdapter {

  /**
   * How a simulated host behaves. {@code hostId} names it in bundle and endpoint uris (null: a
   * generated name); {@code migrationDowntime} is the pause a live migration reports; {@code stateFile}
   * (null: memory only) is where the host keeps its VMs so they outlive the process that runs it;
   * {@code keepRunning} says whether VMs that ran when that process ended run again in the next one
   * (false: they come back stopped with their data).
   */
  public record Settings(HostInventory inventory, Duration copyDuration, Duration bootDuration, int progressSteps,
                         String hostId, Duration migrationDowntime, Path stateFile, boolean keepRunning) {

    /** Fills defaults: a generated host name, 5 ms downtime. */
    public Settings {
      hostId = hostId == null || hostId.isBlank() ? "sim-" + HOSTS.incrementAndGet() : hostId;
      migrationDowntime = migrationDowntime == null ? Duration.ofMillis(5) : migrationDowntime;
    }

    /** A host whose running VMs, when it keeps a state file, are running again in the next process. */
    public Settings(HostInventory inventory, Duration copyDuration, Duration bootDuration, int progressSteps,
                    String hostId, Duration migrationDowntime, Path stateFile) {
      this(inventory, copyDuration, bootDuration, progressSteps, hostId, migrationDowntime, stateFile, true);
    }

    /** A host kept in memory only. */
    public Settings(HostInventory inventory, Duration copyDuration, Duration bootDuration, int progressSteps,
                    String hostId, Duration migrationDowntime) {
      this(inventory, copyDuration, bootDuration, progressSteps, hostId, migrationDowntime, null);
    }

    /** A host with a generated name and the default downtime, kept in memory only. */
    public Settings(HostInventory inventory, Duration copyDuration, Duration bootDuration, int progressSteps) {
      this(inventory, copyDuration, bootDuration, progressSteps, null, null, null);
    }

    /** Zero delays with the given inventory. */
    public static Settings instant(HostInventory inventory) {
      return new Settings(inventory, Duration.ZERO, Duration.ZERO, 1);
    }
  }

  private record Exported(String vmId, VmSpec spec) {}

  /** What a source in another process hands the target of a live migration. */
  private record Arrival(String vmId, Double load) {}

  /** One VM as the state file keeps it. */
  private record Kept(String vmId, VmSpec spec, VmRuntimeState state, boolean data) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final AtomicInteger HOSTS = new AtomicInteger();
  private static final Map<String, Exported> BUNDLES = new ConcurrentHashMap<>();
  private static final Map<String, SimulatedHypervisor> INCOMING = new ConcurrentHashMap<>();

  private final Settings settings;
  private final Map<String, VmSpec> specs = new ConcurrentHashMap<>();
  private final Map<String, VmRuntimeState> states = new ConcurrentHashMap<>();
  private final Set<String> withData = ConcurrentHashMap.newKeySet();
  private final Map<String, Double> activity = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Double>> appActivity = new ConcurrentHashMap<>();
  private final Set<String> failNextStart = ConcurrentHashMap.newKeySet();
  private final Set<String> failNextCopy = ConcurrentHashMap.newKeySet();
  private final Set<String> failNextExport = ConcurrentHashMap.newKeySet();
  private final Set<String> failNextImport = ConcurrentHashMap.newKeySet();
  private final Set<String> failNextMigration = ConcurrentHashMap.newKeySet();
  private final Listeners listeners = new Listeners();
  private volatile boolean alive = true;
  private final ScheduledExecutorService timer;

  /** A simulated host with these settings; with a state file, the VMs kept there. */
  public SimulatedHypervisor(Settings settings) {
    this.settings = settings;
    if (settings.stateFile() != null) {
      load(settings.stateFile());
      // an earlier run's incoming migrations ended with it (load drops the VMs they awaited)
      DataDirs.delete(settings.stateFile().toAbsolutePath().getParent().resolve("incoming"));
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simulated-hypervisor");
      t.setDaemon(true);
      return t;
    });
  }

  /** The name this host uses in bundle and endpoint uris. */
  public String hostId() {
    return settings.hostId();
  }

  /** Fault injection: the next start of {@code vmId} ("*" for any VM) fails. */
  public void failNextStart(String vmId) {
    failNextStart.add(vmId);
  }

  /** Fault injection: the next copy of {@code vmId} ("*" for any VM) fails half-way. */
  public void failNextCopy(String vmId) {
    failNextCopy.add(vmId);
  }

  /** Fault injection: the next export of {@code vmId} ("*" for any VM) fails half-way. */
  public void failNextExport(String vmId) {
    failNextExport.add(vmId);
  }

  /** Fault injection: the next import of {@code vmId} ("*" for any VM) fails half-way. */
  public void failNextImport(String vmId) {
    failNextImport.add(vmId);
  }

  /** Fault injection: the next live migration of {@code vmId} ("*" for any VM) fails half-way; the VM keeps running. */
  public void failNextMigration(String vmId) {
    failNextMigration.add(vmId);
  }

  /** Fault injection: the VM crashes on its own; state-change listeners hear of it. */
  public void crashVm(String vmId) {
    if (states.computeIfPresent(vmId, (id, s) -> VmRuntimeState.CRASHED) != null) {
      save();
      listeners.fire(vmId, VmRuntimeState.CRASHED);
    }
  }

  /** Fault injection: the host crashes; every VM on it stops existing and every later call fails. */
  public void crash() {
    alive = false;
    states.replaceAll((id, s) -> VmRuntimeState.CRASHED);
    save();
  }

  /** Sets the CPU activity (percent) a VM reports, as a load generator would cause. */
  public void setActivity(String vmId, double cpuPercent) {
    activity.put(vmId, cpuPercent);
  }

  /**
   * Sets the CPU activity (percent) an application inside a VM reports. Without any, the VM reports one
   * application named after its image with the VM's activity.
   */
  public void setAppActivity(String vmId, String app, double cpuPercent) {
    appActivity.computeIfAbsent(vmId, id -> new ConcurrentHashMap<>()).put(app, cpuPercent);
  }

  @Override
  public String kind() {
    return "simulated";
  }

  @Override
  public HostInventory inventory() {
    return settings.inventory();
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public void onStateChange(BiConsumer<String, VmRuntimeState> listener) {
    listeners.add(listener);
  }

  @Override
  public void define(String vmId, VmSpec spec) {
    requireAlive();
    specs.put(vmId, spec);
    states.putIfAbsent(vmId, VmRuntimeState.DEFINED);
    save();
  }

  @Override
  public CompletionStage<Void> copyImage(String vmId, VmSpec spec, IntConsumer progressPercent) {
    requireAlive();
    requireDefined(vmId);
    setState(vmId, VmRuntimeState.COPYING);
    boolean fail = takeFault(failNextCopy, vmId);
    return steps(progressPercent, fail, "copy of " + vmId, () -> setState(vmId, VmRuntimeState.DEFINED))
        .thenRun(() -> {
          withData.add(vmId);
          setState(vmId, VmRuntimeState.READY);
        });
  }

  @Override
  public CompletionStage<Void> start(String vmId) {
    requireAlive();
    requireDefined(vmId);
    if (status(vmId) == VmRuntimeState.RUNNING) return CompletableFuture.completedFuture(null);
    setState(vmId, VmRuntimeState.BOOTING);
    boolean fail = takeFault(failNextStart, vmId);
    CompletableFuture<Void> done = new CompletableFuture<>();
    later(settings.bootDuration().toNanos(), () -> {
      if (!alive) {
        done.completeExceptionally(new AdapterException("host crashed during boot"));
      } else if (fail) {
        setState(vmId, VmRuntimeState.STOPPED);
        done.completeExceptionally(new AdapterException("start of " + vmId + " failed (injected fault)"));
      } else {
        setState(vmId, VmRuntimeState.RUNNING);
        done.complete(null);
      }
    });
    return done;
  }

  @Override
  public CompletionStage<Void> stop(String vmId) {
    requireAlive();
    requireDefined(vmId);
    setState(vmId, VmRuntimeState.STOPPED);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void destroy(String vmId) {
    requireAlive();
    specs.remove(vmId);
    states.remove(vmId);
    activity.remove(vmId);
    appActivity.remove(vmId);
    withData.remove(vmId);
    INCOMING.remove(endpointUri(vmId), this);
    forgetAwait(vmId);
    save();
  }

  @Override
  public VmRuntimeState status(String vmId) {
    VmRuntimeState s = states.getOrDefault(vmId, VmRuntimeState.UNKNOWN);
    if (s == VmRuntimeState.BOOTING && settleArrival(vmId)) return status(vmId);
    return s;
  }

  @Override
  public VmStatistics statistics(String vmId) {
    VmSpec spec = specs.get(vmId);
    if (spec == null || status(vmId) != VmRuntimeState.RUNNING) return VmStatistics.NONE;
    double cpu = activity.getOrDefault(vmId, 0.0);
    Map<String, Double> apps = appActivity.get(vmId);
    String image = spec.image() == null || spec.image().isBlank() ? "app" : spec.image();
    return new VmStatistics(cpu, spec.memoryMiB() / 2, spec.diskGiB(), 0,
        apps == null || apps.isEmpty() ? Map.of(image, cpu) : apps);
  }

  @Override
  public boolean hostAlive() {
    return alive;
  }

  // ---- cold move ---------------------------------------------------------------------------------

  @Override
  public CompletionStage<DataBundle> exportData(String vmId, IntConsumer progressPercent) {
    requireAlive();
    requireDefined(vmId);
    VmRuntimeState s = status(vmId);
    if (s == VmRuntimeState.RUNNING || s == VmRuntimeState.BOOTING) {
      return CompletableFuture.failedFuture(new AdapterException("vm " + vmId + " must be stopped to export its data"));
    }
    if (!withData.contains(vmId)) {
      return CompletableFuture.failedFuture(new AdapterException("vm " + vmId + " has no data on this host"));
    }
    VmSpec spec = specs.get(vmId);
    boolean fail = takeFault(failNextExport, vmId);
    return steps(progressPercent, fail, "export of " + vmId, () -> {}).thenApply(v -> {
      String uri = "sim:" + settings.hostId() + "/" + vmId;
      BUNDLES.put(uri, new Exported(vmId, spec));
      return new DataBundle(settings.hostId(), uri, spec.diskGiB() << 30);
    });
  }

  @Override
  public CompletionStage<Void> importData(String vmId, VmSpec spec, DataBundle bundle, IntConsumer progressPercent) {
    requireAlive();
    if (status(vmId) == VmRuntimeState.RUNNING) {
      return CompletableFuture.failedFuture(new AdapterException("vm " + vmId + " runs on this host; cannot import over it"));
    }
    define(vmId, spec);
    setState(vmId, VmRuntimeState.COPYING);
    boolean fail = takeFault(failNextImport, vmId);
    return steps(progressPercent, fail, "import of " + vmId, () -> setState(vmId, VmRuntimeState.DEFINED))
        .thenRun(() -> {
          withData.add(vmId);
          setState(vmId, VmRuntimeState.READY);
        });
  }

  @Override
  public void deleteData(String vmId) {
    requireAlive();
    if (status(vmId) == VmRuntimeState.RUNNING) throw new AdapterException("vm " + vmId + " runs; stop it before deleting its data");
    if (withData.remove(vmId)) states.computeIfPresent(vmId, (id, s) -> VmRuntimeState.DEFINED);
    save();
  }

  @Override
  public boolean hasData(String vmId) {
    return withData.contains(vmId);
  }

  // ---- live migration ----------------------------------------------------------------------------

  @Override
  public CompletionStage<MigrationEndpoint> prepareIncoming(String vmId, VmSpec spec) {
    requireAlive();
    if (status(vmId) == VmRuntimeState.RUNNING) {
      return CompletableFuture.failedFuture(new AdapterException("vm " + vmId + " already runs on this host"));
    }
    specs.put(vmId, spec);
    setState(vmId, VmRuntimeState.BOOTING);
    String uri = endpointUri(vmId);
    Path await = awaitFile(vmId);
    if (await != null) {
      try {
        Files.createDirectories(await.getParent());
        Files.deleteIfExists(arrivedFile(await));
        Files.writeString(await, Long.toString(ProcessHandle.current().pid()));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(new AdapterException("cannot await vm " + vmId + ": " + e.getMessage()));
      }
    }
    INCOMING.put(uri, this);
    return CompletableFuture.completedFuture(new MigrationEndpoint(uri));
  }

  @Override
  public CompletionStage<MigrationResult> migrateLive(String vmId, MigrationEndpoint to, IntConsumer progressPercent) {
    requireAlive();
    requireDefined(vmId);
    if (status(vmId) != VmRuntimeState.RUNNING) {
      return CompletableFuture.failedFuture(new AdapterException("vm " + vmId + " does not run; only a running vm migrates live"));
    }
    SimulatedHypervisor target = INCOMING.get(to.uri());
    Path awaiting = target == null ? awaitedElsewhere(to.uri()) : null;
    if (target == null && awaiting == null) {
      return CompletableFuture.failedFuture(new AdapterException("no host awaits vm " + vmId + " at " + to.uri()));
    }
    boolean fail = takeFault(failNextMigration, vmId);
    VmSpec spec = specs.get(vmId);
    Double load = activity.get(vmId);
    return steps(progressPercent, fail, "live migration of " + vmId, () -> {}).thenApply(v -> {
      if (target != null) {
        if (!target.alive) throw new AdapterException("target host crashed during live migration of " + vmId);
        target.arrive(vmId, load);
        INCOMING.remove(to.uri(), target);
      } else {
        if (awaitedElsewhere(to.uri()) == null) {
          throw new AdapterException("target host stopped awaiting vm " + vmId + " during its live migration");
        }
        writeJson(arrivedFile(awaiting), new Arrival(vmId, load));
      }
      specs.remove(vmId);
      states.remove(vmId);
      withData.remove(vmId);
      activity.remove(vmId);
      save();
      long downtime = settings.migrationDowntime().toMillis();
      return new MigrationResult(settings.copyDuration().toMillis() + downtime, downtime, spec.memoryMiB() << 20);
    });
  }

  @Override
  public CompletionStage<Void> finishIncoming(String vmId) {
    requireAlive();
    settleArrival(vmId);
    if (status(vmId) != VmRuntimeState.RUNNING) {
      return CompletableFuture.failedFuture(new AdapterException("vm " + vmId + " has not arrived on this host"));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void abortIncoming(String vmId) {
    settleArrival(vmId); // a VM that arrived already runs here, as it would have in one JVM
    if (INCOMING.remove(endpointUri(vmId), this) && status(vmId) == VmRuntimeState.BOOTING) {
      specs.remove(vmId);
      states.remove(vmId);
      save();
    }
    forgetAwait(vmId);
  }

  private void arrive(String vmId, Double load) {
    withData.add(vmId);
    if (load != null) activity.put(vmId, load);
    setState(vmId, VmRuntimeState.RUNNING);
    forgetAwait(vmId);
  }

  /** The endpoint of an incoming VM: the file it is awaited in when the host keeps a state file. */
  private String endpointUri(String vmId) {
    Path await = awaitFile(vmId);
    return await == null ? "sim-migrate:" + settings.hostId() + "/" + vmId : await.toUri().toString();
  }

  /** Where this host awaits {@code vmId} for processes elsewhere on the machine; null without a state file. */
  private Path awaitFile(String vmId) {
    Path file = settings.stateFile();
    return file == null ? null : file.toAbsolutePath().getParent().resolve("incoming").resolve(vmId + ".await");
  }

  private static Path arrivedFile(Path await) {
    String name = await.getFileName().toString();
    return await.resolveSibling(name.substring(0, name.length() - ".await".length()) + ".arrived");
  }

  /** The await file an endpoint uri names, if it is there and the process awaiting in it runs; else null. */
  private static Path awaitedElsewhere(String uri) {
    if (!uri.startsWith("file:") || !uri.endsWith(".await")) return null;
    try {
      Path await = Path.of(java.net.URI.create(uri));
      long pid = Long.parseLong(Files.readString(await).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? await : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Makes an incoming VM that a source in another process handed over RUNNING; true when it did. */
  private boolean settleArrival(String vmId) {
    Path await = awaitFile(vmId);
    if (await == null || !Files.exists(arrivedFile(await))) return false;
    Arrival a;
    try {
      a = JSON.readValue(arrivedFile(await).toFile(), Arrival.class);
    } catch (IOException e) {
      return false; // written by a move of the file, so a partial one is not seen; try again later
    }
    if (!vmId.equals(a.vmId()) || status0(vmId) != VmRuntimeState.BOOTING) return false;
    INCOMING.remove(endpointUri(vmId), this);
    arrive(vmId, a.load());
    return true;
  }

  private VmRuntimeState status0(String vmId) {
    return states.getOrDefault(vmId, VmRuntimeState.UNKNOWN);
  }

  private void forgetAwait(String vmId) {
    Path await = awaitFile(vmId);
    if (await == null) return;
    try {
      Files.deleteIfExists(arrivedFile(await));
      Files.deleteIfExists(await);
    } catch (IOException ignored) {
      // a leftover await file names a process; a source checks that it still runs
    }
  }

  /** Test hook: acts as if every host ran in its own process, so hosts meet only through their files. */
  static void forgetPeersInThisJvm() {
    INCOMING.clear();
  }

  private static void writeJson(Path file, Object value) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".new");
      JSON.writeValue(tmp.toFile(), value);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AdapterException("cannot write " + file + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    for (var e : INCOMING.entrySet()) {
      if (e.getValue() == this) {
        INCOMING.remove(e.getKey(), this);
        // no longer awaited by this process: a source elsewhere must not hand the VM to it
        if (e.getKey().startsWith("file:")) forgetAwaitFile(e.getKey());
      }
    }
  }

  private static void forgetAwaitFile(String uri) {
    try {
      Files.deleteIfExists(Path.of(java.net.URI.create(uri)));
    } catch (IOException | RuntimeException ignored) {
      // a leftover await file names this process; once it ends, sources see it gone
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** Runs the configured number of progress steps over the copy duration; a fault fails past half-way. */
  private CompletableFuture<Void> steps(IntConsumer progress, boolean fail, String what, Runnable onFailure) {
    int steps = Math.max(1, settings.progressSteps());
    long stepNanos = settings.copyDuration().toNanos() / steps;
    CompletableFuture<Void> done = new CompletableFuture<>();
    step(progress, fail, what, onFailure, 1, steps, stepNanos, done);
    return done;
  }

  private void step(IntConsumer progress, boolean fail, String what, Runnable onFailure, int step, int steps,
                    long stepNanos, CompletableFuture<Void> done) {
    later(stepNanos, () -> {
      if (!alive) {
        done.completeExceptionally(new AdapterException("host crashed during " + what));
        return;
      }
      if (fail && step * 2 > steps) {
        onFailure.run();
        done.completeExceptionally(new AdapterException(what + " failed (injected fault)"));
        return;
      }
      progress.accept(step * 100 / steps);
      if (step == steps) {
        done.complete(null);
      } else {
        step(progress, fail, what, onFailure, step + 1, steps, stepNanos, done);
      }
    });
  }

  private void setState(String vmId, VmRuntimeState state) {
    states.put(vmId, state);
    save();
  }

  /** Every VM of this host from its maps, with its state and whether it has data here. */
  @Override
  public List<ObservedVm> list() {
    List<ObservedVm> out = new ArrayList<>(states.size());
    states.forEach((id, state) -> out.add(new ObservedVm(id, state, withData.contains(id))));
    return out;
  }

  /** The ids of the VMs this host knows: defined, holding data, or running. */
  @Override
  public Set<String> vmIds() {
    return Set.copyOf(states.keySet());
  }

  /** Writes the VMs to the state file, if there is one; called after every change. */
  private void save() {
    Path file = settings.stateFile();
    if (file != null) write(file);
  }

  private synchronized void write(Path file) {
    List<Kept> kept = new ArrayList<>();
    for (var e : states.entrySet()) {
      VmSpec spec = specs.get(e.getKey());
      if (spec != null) kept.add(new Kept(e.getKey(), spec, e.getValue(), withData.contains(e.getKey())));
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".new");
      JSON.writeValue(tmp.toFile(), kept);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AdapterException("cannot keep the simulated host's state in " + file + ": " + e.getMessage());
    }
  }

  private void load(Path file) {
    if (!Files.exists(file)) return;
    try {
      Kept[] kept = JSON.readValue(file.toFile(), Kept[].class);
      for (Kept k : kept) {
        VmRuntimeState state = switch (k.state()) {
          // an incoming live migration that had not arrived leaves nothing
          case BOOTING -> k.data() ? VmRuntimeState.STOPPED : null;
          // a machine that rebooted keeps its disks but runs nothing
          case RUNNING -> settings.keepRunning() ? VmRuntimeState.RUNNING : VmRuntimeState.STOPPED;
          // a copy or import under way leaves no data
          case COPYING -> VmRuntimeState.DEFINED;
          default -> k.state();
        };
        if (state == null) continue;
        specs.put(k.vmId(), k.spec());
        states.put(k.vmId(), state);
        if (k.data() && k.state() != VmRuntimeState.COPYING) withData.add(k.vmId());
      }
    } catch (IOException e) {
      throw new AdapterException("cannot read the simulated host's state from " + file + ": " + e.getMessage());
    }
  }

  private void later(long nanos, Runnable work) {
    if (nanos <= 0) {
      work.run();
    } else {
      timer.schedule(work, nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static boolean takeFault(Set<String> faults, String vmId) {
    return faults.remove(vmId) || faults.remove("*");
  }

  private void requireAlive() {
    if (!alive) throw new AdapterException("host has crashed");
  }

  private void requireDefined(String vmId) {
    if (!specs.containsKey(vmId)) throw new AdapterException("vm " + vmId + " is not defined on this host");
  }
}
