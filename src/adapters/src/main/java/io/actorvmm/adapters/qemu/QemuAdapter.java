package io.actorvmm.adapters.qemu;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.actorvmm.adapters.support.Ports;
import io.actorvmm.adapters.support.ProcStats;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A host whose VMs are {@code qemu-system-x86_64} processes (TCG, so no KVM is needed). Each VM has a
 * directory {@code <dataDir>/<vmId>/} with its spec, a qcow2 disk, the QMP and VNC sockets, a pidfile
 * and QEMU's log. The adapter talks to each QEMU over QMP ({@link QmpClient}).
 *
 * <ul>
 *   <li>copyImage creates an empty qcow2 disk of the VM's disk size (image names are not resolved:
 *       there is no image store yet).</li>
 *   <li>COLD_MOVE: the bundle of a stopped VM is its directory in place ({@code file:} uri, valid until
 *       the data is deleted there); import copies the files with progress. Both hosts must reach the
 *       same file system.</li>
 *   <li>LIVE_MIGRATION: see {@link QemuMigration}; the source directory is removed afterwards.</li>
 *   <li>STATISTICS: CPU and resident memory of the QEMU process from /proc, disk as the qcow2 file's
 *       size. QEMU cannot see the guest's applications, so no APP_STATISTICS.</li>
 *   <li>A QEMU process that exits without the adapter asking is reported CRASHED to
 *       {@link #onStateChange} listeners.</li>
 *   <li>On construction, VM directories are scanned: a live QEMU named by a pidfile whose command line
 *       names the directory's QMP socket is adopted (RUNNING, or what its monitor says); when its
 *       monitor does not answer it is still adopted, and stop then ends it by signals. Stale runtime
 *       files of a dead one are removed (its data stays, the VM reads STOPPED).</li>
 *   <li>{@link #list()} answers from memory and one file lookup per VM (its disk);
 *       {@link #unmanaged()} reads {@code /proc/*}{@code /cmdline} and names the QEMU processes whose
 *       command line names no file of this host's data directory. QEMUs of sibling hosts (command line
 *       naming a file under the parent of this host's data directory, as another host of the same node
 *       does) are left out: that host lists them as its own.</li>
 *   <li>{@link #close()} ends every QEMU, adopted ones included, unless the option {@code keepRunning}
 *       is true.</li>
 * </ul>
 */
public final class QemuAdapter implements HypervisorAdapter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String hostId;
  private final Path dataDir;
  private final Resources capacity;
  private final QemuLauncher launcher;
  private final boolean keepRunning;
  private final Map<String, QemuVm> vms = new ConcurrentHashMap<>();
  private final Listeners listeners = new Listeners();
  private final ProcStats procStats = new ProcStats();
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "qemu-adapter");
    t.setDaemon(true);
    return t;
  });

  /**
   * A QEMU host keeping its VMs under {@code dataDir}. {@code memoryCapMiB}/{@code cpuCap} (0: none)
   * bound what each QEMU gets whatever the spec asks, for tests on small machines.
   */
  public QemuAdapter(String hostId, Path dataDir, Resources capacity, Path qemu, Path qemuImg, long memoryCapMiB,
                     int cpuCap, boolean keepRunning) {
    this.hostId = hostId;
    this.dataDir = dataDir.toAbsolutePath();
    this.capacity = capacity;
    this.launcher = new QemuLauncher(qemu, qemuImg, memoryCapMiB, cpuCap);
    this.keepRunning = keepRunning;
    try {
      Files.createDirectories(this.dataDir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create data directory " + dataDir + ": " + e.getMessage());
    }
    adoptExisting();
  }

  @Override
  public String kind() {
    return "qemu";
  }

  @Override
  public HostInventory inventory() {
    return new HostInventory(capacity, List.of("qemu"));
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.COLD_MOVE, Capability.LIVE_MIGRATION, Capability.STATISTICS);
  }

  @Override
  public void onStateChange(BiConsumer<String, VmRuntimeState> listener) {
    listeners.add(listener);
  }

  /** The VNC address of a VM ({@code unix:<path>}), present while it runs. */
  public Optional<String> vncAddress(String vmId) {
    QemuVm vm = vms.get(vmId);
    return vm != null && vm.running() ? Optional.of("unix:" + vm.file(QemuVm.VNC)) : Optional.empty();
  }

  /** The operating-system process id of a running VM's QEMU. */
  public Optional<Long> pid(String vmId) {
    QemuVm vm = vms.get(vmId);
    ProcessHandle p = vm == null ? null : vm.process;
    return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
  }

  @Override
  public synchronized void define(String vmId, VmSpec spec) {
    QemuVm vm = vms.computeIfAbsent(vmId, id -> new QemuVm(id, dataDir.resolve(id), spec, VmRuntimeState.DEFINED));
    vm.spec = spec;
    try {
      Files.createDirectories(vm.dir);
      JSON.writeValue(vm.file(QemuVm.SPEC).toFile(), spec);
    } catch (IOException e) {
      throw new AdapterException("cannot define " + vmId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public CompletionStage<Void> copyImage(String vmId, VmSpec spec, IntConsumer progressPercent) {
    QemuVm vm = require(vmId);
    if (vm.running()) return failed("vm " + vmId + " runs; stop it before copying its image");
    vm.state = VmRuntimeState.COPYING;
    return async(() -> {
      try {
        progressPercent.accept(0);
        if (!Files.exists(vm.file(QemuVm.DISK))) launcher.createDisk(vm.file(QemuVm.DISK), spec.diskGiB());
        progressPercent.accept(100);
        vm.state = VmRuntimeState.READY;
      } catch (RuntimeException e) {
        vm.state = VmRuntimeState.DEFINED;
        throw e;
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Void> start(String vmId) {
    QemuVm vm = require(vmId);
    if (vm.running() && vm.state == VmRuntimeState.RUNNING) return CompletableFuture.completedFuture(null);
    if (!Files.exists(vm.file(QemuVm.DISK))) return failed("vm " + vmId + " has no disk on this host; copy its image first");
    VmRuntimeState before = vm.state;
    vm.state = VmRuntimeState.BOOTING;
    return async(() -> {
      synchronized (vm) {
        try {
          if (!vm.running()) {
            launcher.launch(vm, null);
            watch(vm);
          }
          String status = vm.qmp.execute("query-status").path("status").asText();
          if (!"running".equals(status)) vm.qmp.execute("cont");
          vm.state = VmRuntimeState.RUNNING;
        } catch (RuntimeException e) {
          launcher.terminate(vm);
          vm.state = before == VmRuntimeState.BOOTING ? VmRuntimeState.STOPPED : before;
          throw e;
        }
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Void> stop(String vmId) {
    QemuVm vm = require(vmId);
    return async(() -> {
      synchronized (vm) {
        if (vm.running()) {
          launcher.terminate(vm);
          vm.state = VmRuntimeState.STOPPED;
        } else if (vm.state == VmRuntimeState.RUNNING || vm.state == VmRuntimeState.BOOTING
            || vm.state == VmRuntimeState.CRASHED) {
          vm.state = VmRuntimeState.STOPPED;
        }
      }
      return null;
    });
  }

  @Override
  public void destroy(String vmId) {
    QemuVm vm = vms.remove(vmId);
    if (vm == null) return;
    synchronized (vm) {
      launcher.terminate(vm);
      DataDirs.delete(vm.dir);
    }
  }

  @Override
  public VmRuntimeState status(String vmId) {
    QemuVm vm = vms.get(vmId);
    return vm == null ? VmRuntimeState.UNKNOWN : observed(vm);
  }

  /**
   * The VM's state, reading CRASHED for a RUNNING one whose process is gone: the JDK notices the exit
   * of an adopted QEMU (not our child) only by polling, up to seconds later.
   */
  private static VmRuntimeState observed(QemuVm vm) {
    VmRuntimeState s = vm.state;
    return s == VmRuntimeState.RUNNING && !vm.expectExit && !vm.running() ? VmRuntimeState.CRASHED : s;
  }

  @Override
  public List<ObservedVm> list() {
    List<ObservedVm> out = new ArrayList<>(vms.size());
    for (QemuVm vm : vms.values()) out.add(new ObservedVm(vm.id, observed(vm), Files.exists(vm.file(QemuVm.DISK))));
    return out;
  }

  @Override
  public Set<String> vmIds() {
    return Set.copyOf(vms.keySet());
  }

  @Override
  public List<String> unmanaged() {
    String mine = dataDir + "/";
    Path parent = dataDir.getParent();
    String siblings = parent == null ? null : parent + "/";
    List<String> out = new ArrayList<>();
    for (long pid : ProcStats.pids()) {
      List<String> argv = ProcStats.argv(pid);
      if (argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().startsWith("qemu-system")) continue;
      boolean ours = false;
      for (String arg : argv) {
        if (arg.contains(mine) || siblings != null && arg.contains(siblings)) {
          ours = true;
          break;
        }
      }
      if (!ours && ProcStats.alive(pid)) out.add(QemuLauncher.nameOf(argv).orElse("pid " + pid));
    }
    return out;
  }

  @Override
  public VmStatistics statistics(String vmId) {
    QemuVm vm = vms.get(vmId);
    ProcessHandle p = vm == null ? null : vm.process;
    if (p == null || !p.isAlive() || vm.state != VmRuntimeState.RUNNING) return VmStatistics.NONE;
    int cores = Math.max(1, vm.spec.cpuCores());
    long diskBytes = 0;
    try {
      diskBytes = Files.size(vm.file(QemuVm.DISK));
    } catch (IOException ignored) {
      // no disk measured
    }
    return new VmStatistics(procStats.cpuPercent(p.pid()) / cores, ProcStats.rssKiB(p.pid()) / 1024,
        diskBytes >> 30, 0);
  }

  @Override
  public boolean hostAlive() {
    return true;
  }

  // ---- cold move ---------------------------------------------------------------------------------

  @Override
  public CompletionStage<DataBundle> exportData(String vmId, IntConsumer progressPercent) {
    QemuVm vm = require(vmId);
    if (vm.running()) return failed("vm " + vmId + " must be stopped to export its data");
    if (!Files.exists(vm.file(QemuVm.DISK))) return failed("vm " + vmId + " has no data on this host");
    return async(() -> {
      long bytes = DataDirs.size(vm.dir);
      progressPercent.accept(100);
      return new DataBundle(hostId, vm.dir.toUri().toString(), bytes);
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
    QemuVm existing = vms.get(vmId);
    if (existing != null && existing.running()) return failed("vm " + vmId + " runs on this host; cannot import over it");
    define(vmId, spec);
    QemuVm vm = require(vmId);
    vm.state = VmRuntimeState.COPYING;
    return async(() -> {
      try {
        DataDirs.copy(from, vm.dir, rel -> isRuntimeFile(rel.toString()), progressPercent);
        JSON.writeValue(vm.file(QemuVm.SPEC).toFile(), spec);
        vm.state = VmRuntimeState.READY;
      } catch (IOException | RuntimeException e) {
        vm.state = VmRuntimeState.DEFINED;
        throw e instanceof AdapterException a ? a : new AdapterException("import of " + vmId + " failed: " + e.getMessage(), e);
      }
      return null;
    });
  }

  @Override
  public void deleteData(String vmId) {
    QemuVm vm = vms.get(vmId);
    if (vm == null) return;
    if (vm.running()) throw new AdapterException("vm " + vmId + " runs; stop it before deleting its data");
    try {
      Files.deleteIfExists(vm.file(QemuVm.DISK));
      Files.deleteIfExists(vm.file(QemuVm.LOG));
    } catch (IOException e) {
      throw new AdapterException("cannot delete data of " + vmId + ": " + e.getMessage(), e);
    }
    vm.state = VmRuntimeState.DEFINED;
  }

  @Override
  public boolean hasData(String vmId) {
    QemuVm vm = vms.get(vmId);
    return vm != null && Files.exists(vm.file(QemuVm.DISK));
  }

  // ---- live migration ----------------------------------------------------------------------------

  @Override
  public CompletionStage<MigrationEndpoint> prepareIncoming(String vmId, VmSpec spec) {
    QemuVm existing = vms.get(vmId);
    if (existing != null && existing.running()) return failed("vm " + vmId + " already runs on this host");
    define(vmId, spec);
    QemuVm vm = require(vmId);
    vm.state = VmRuntimeState.BOOTING;
    vm.incoming = true;
    return async(() -> {
      synchronized (vm) {
        try {
          if (!Files.exists(vm.file(QemuVm.DISK))) launcher.createDisk(vm.file(QemuVm.DISK), spec.diskGiB());
          int port = Ports.free();
          launcher.launch(vm, "tcp:127.0.0.1:" + port);
          watch(vm);
          return QemuMigration.exportDisk(vm, port);
        } catch (RuntimeException e) {
          abortIncoming(vmId);
          throw e;
        }
      }
    });
  }

  @Override
  public CompletionStage<MigrationResult> migrateLive(String vmId, MigrationEndpoint to, IntConsumer progressPercent) {
    QemuVm vm = require(vmId);
    if (!vm.running() || vm.state != VmRuntimeState.RUNNING) return failed("vm " + vmId + " does not run; only a running vm migrates live");
    if (vm.qmp == null) return failed("vm " + vmId + " has no monitor connection; stop and start it before moving it live");
    return async(() -> {
      synchronized (vm) {
        MigrationResult result = QemuMigration.run(vm, to, progressPercent);
        vms.remove(vmId);
        launcher.terminate(vm);
        DataDirs.delete(vm.dir);
        return result;
      }
    });
  }

  @Override
  public CompletionStage<Void> finishIncoming(String vmId) {
    QemuVm vm = require(vmId);
    if (!vm.incoming || !vm.running()) return failed("vm " + vmId + " is not arriving on this host");
    return async(() -> {
      synchronized (vm) {
        QemuMigration.settleTarget(vm);
        vm.incoming = false;
        vm.state = VmRuntimeState.RUNNING;
      }
      return null;
    });
  }

  @Override
  public void abortIncoming(String vmId) {
    QemuVm vm = vms.get(vmId);
    if (vm == null || !vm.incoming) return;
    vms.remove(vmId);
    launcher.terminate(vm);
    DataDirs.delete(vm.dir);
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  @Override
  public void close() {
    for (QemuVm vm : vms.values()) {
      if (keepRunning && !vm.incoming) {
        vm.expectExit = true;
        vm.disconnect();
      } else {
        launcher.terminate(vm);
        if (vm.incoming) DataDirs.delete(vm.dir);
      }
    }
    workers.shutdownNow();
  }

  private void adoptExisting() {
    try (Stream<Path> dirs = Files.list(dataDir)) {
      for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(QemuVm.SPEC))).toList()) {
        VmSpec spec = JSON.readValue(dir.resolve(QemuVm.SPEC).toFile(), VmSpec.class);
        String id = dir.getFileName().toString();
        boolean disk = Files.exists(dir.resolve(QemuVm.DISK));
        QemuVm vm = new QemuVm(id, dir, spec, disk ? VmRuntimeState.STOPPED : VmRuntimeState.DEFINED);
        Optional<ProcessHandle> live = QemuLauncher.adoptable(vm);
        if (live.isPresent()) {
          vm.process = live.get();
          try {
            vm.qmp = QmpClient.connect(vm.file(QemuVm.QMP), java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(10));
            vm.state = stateOf(vm.qmp.execute("query-status").path("status").asText());
            watch(vm);
          } catch (AdapterException e) {
            // ours but its monitor does not answer (busy or wedged): keep it, stop ends it by signals
            vm.disconnect();
            vm.state = VmRuntimeState.RUNNING;
            watch(vm);
          }
        } else {
          QemuLauncher.cleanRuntimeFiles(vm);
        }
        vms.put(id, vm);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read data directory " + dataDir + ": " + e.getMessage());
    }
  }

  private static VmRuntimeState stateOf(String qmpStatus) {
    return switch (qmpStatus) {
      case "running" -> VmRuntimeState.RUNNING;
      case "inmigrate", "prelaunch", "restore-vm" -> VmRuntimeState.BOOTING;
      case "internal-error", "guest-panicked", "io-error" -> VmRuntimeState.CRASHED;
      default -> VmRuntimeState.STOPPED;
    };
  }

  /** Reports an exit of the VM's QEMU that the adapter did not cause. */
  private void watch(QemuVm vm) {
    ProcessHandle p = vm.process;
    p.onExit().thenRun(() -> {
      if (vm.expectExit || vm.process != p) return;
      vm.disconnect();
      vm.state = VmRuntimeState.CRASHED;
      listeners.fire(vm.id, VmRuntimeState.CRASHED);
    });
  }

  private static boolean isRuntimeFile(String rel) {
    return rel.equals(QemuVm.PIDFILE) || rel.equals(QemuVm.QMP) || rel.equals(QemuVm.VNC);
  }

  private QemuVm require(String vmId) {
    QemuVm vm = vms.get(vmId);
    if (vm == null) throw new AdapterException("vm " + vmId + " is not defined on this host");
    return vm;
  }

  private <T> CompletableFuture<T> async(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, workers);
  }

  private static <T> CompletableFuture<T> failed(String message) {
    return CompletableFuture.failedFuture(new AdapterException(message));
  }
}
