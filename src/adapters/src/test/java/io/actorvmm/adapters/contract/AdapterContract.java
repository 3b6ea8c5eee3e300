package io.actorvmm.adapters.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.Adapters;
import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.DataBundle;
import io.actorvmm.adapters.HostInventory;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.adapters.MigrationResult;
import io.actorvmm.adapters.ObservedVm;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.VmStatistics;
import io.actorvmm.adapters.support.Binaries;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link HypervisorAdapter} owes its callers, run against each adapter by a
 * subclass. Adapters are made through {@link Adapters#create}, one per simulated host ("host-a",
 * "host-b"), each with its own data directory. A subclass whose binaries are missing is skipped,
 * except under CI (environment variable CI set), where that fails.
 */
public abstract class AdapterContract {

  /** Root of this test's host data directories. */
  @TempDir
  protected Path tmp;

  /** The first host's adapter. */
  protected HypervisorAdapter a;

  private final List<HypervisorAdapter> opened = new ArrayList<>();

  /** The kind passed to the factory and expected from {@link HypervisorAdapter#kind()}. */
  protected abstract String kind();

  /** The factory options for a host. */
  protected abstract Map<String, String> options();

  /** Binaries the adapter needs on the PATH. */
  protected abstract List<String> requiredBinaries();

  /** Exactly the capabilities the adapter must declare. */
  protected abstract Set<Capability> expectedCapabilities();

  /** A fresh spec for a VM of this adapter's runtime type (each call may differ, e.g. by port). */
  protected abstract VmSpec spec(String vmId);

  /** Makes the running VM stop without the adapter's doing, as a crash would. */
  protected abstract void crashBehindTheAdaptersBack(HypervisorAdapter adapter, String vmId) throws Exception;

  /** The runtime type the inventory must list. */
  protected String runtime() {
    return kind();
  }

  /** Puts recognisable content into the VM's data on {@code hostId}; false when the adapter has no data files. */
  protected boolean putMarker(String hostId, String vmId) throws IOException {
    return false;
  }

  /** True when the content {@link #putMarker} put is in the VM's data on {@code hostId}. */
  protected boolean hasMarker(String hostId, String vmId) throws IOException {
    return false;
  }

  /** The data directory of host {@code hostId}. */
  protected Path hostDir(String hostId) {
    return tmp.resolve(hostId);
  }

  /** Opens the adapter of host {@code hostId}; it is closed after the test. */
  protected HypervisorAdapter open(String hostId) {
    return open(hostId, options());
  }

  /** Opens the adapter of host {@code hostId} with these options; it is closed after the test. */
  protected HypervisorAdapter open(String hostId, Map<String, String> options) {
    HypervisorAdapter adapter = Adapters.create(kind(), hostId, hostDir(hostId), options);
    opened.add(adapter);
    return adapter;
  }

  @BeforeEach
  void openFirstHost() {
    requireBinaries(requiredBinaries());
    a = open("host-a");
  }

  @AfterEach
  void closeHosts() throws IOException {
    for (HypervisorAdapter h : opened) h.close();
    assertEquals(List.of(), processesUnder(tmp), "processes left running by the adapter");
  }

  // ---- tests -----------------------------------------------------------------------------------

  @Test
  void inventoryReportsCapacityAndRuntime() {
    HostInventory inv = a.inventory();
    assertEquals(kind(), a.kind());
    assertTrue(inv.capacity().cpuCores() > 0, "cpu");
    assertTrue(inv.capacity().memoryMiB() > 0, "memory");
    assertTrue(inv.runtimes().contains(runtime()), "runtimes " + inv.runtimes());
    assertTrue(a.hostAlive());
  }

  @Test
  void declaresExactlyItsCapabilitiesAndRefusesTheOthers() {
    assertEquals(expectedCapabilities(), a.capabilities());
    VmSpec s = spec("vm-cap");
    a.define("vm-cap", s);
    if (!a.capabilities().contains(Capability.COLD_MOVE)) {
      assertUnsupported("export of data", () -> a.exportData("vm-cap", p -> {}));
      assertUnsupported("import of data", () -> a.importData("vm-cap", s, new DataBundle("x", "file:/x", 0), p -> {}));
      assertUnsupported("deletion of data", run(() -> a.deleteData("vm-cap")));
      assertUnsupported("data lookup", run(() -> a.hasData("vm-cap")));
    }
    if (!a.capabilities().contains(Capability.LIVE_MIGRATION)) {
      assertUnsupported("live migration", () -> a.prepareIncoming("vm-cap", s));
      assertUnsupported("live migration", () -> a.migrateLive("vm-cap", new MigrationEndpoint("tcp:127.0.0.1:1"), p -> {}));
      assertUnsupported("live migration", () -> a.finishIncoming("vm-cap"));
      assertUnsupported("live migration", run(() -> a.abortIncoming("vm-cap")));
    }
    a.destroy("vm-cap");
  }

  @Test
  void runsAVmThroughItsLifecycle() {
    VmSpec s = spec("vm-life");
    a.define("vm-life", s);
    assertEquals(VmRuntimeState.DEFINED, a.status("vm-life"));
    List<Integer> progress = new CopyOnWriteArrayList<>();
    await(a.copyImage("vm-life", s, progress::add));
    assertEquals(100, progress.get(progress.size() - 1));
    assertEquals(VmRuntimeState.READY, a.status("vm-life"));

    await(a.start("vm-life"));
    assertEquals(VmRuntimeState.RUNNING, a.status("vm-life"));
    assertEquals(Optional.of(new ObservedVm("vm-life", VmRuntimeState.RUNNING, true)), listed(a, "vm-life"));
    assertTrue(a.vmIds().contains("vm-life"), "ids " + a.vmIds());
    a.statistics("vm-life");
    VmStatistics stats = a.statistics("vm-life");
    assertTrue(stats.memoryUsedMiB() > 0, "memory used " + stats);
    assertTrue(stats.cpuPercent() >= 0, "cpu " + stats);
    assertEquals(a.capabilities().contains(Capability.APP_STATISTICS), !stats.appActivity().isEmpty(),
        "application figures " + stats.appActivity());

    await(a.stop("vm-life"));
    assertEquals(VmRuntimeState.STOPPED, a.status("vm-life"));
    assertEquals(VmStatistics.NONE, a.statistics("vm-life"));
    assertEquals(Optional.of(new ObservedVm("vm-life", VmRuntimeState.STOPPED, true)), listed(a, "vm-life"),
        "a stopped vm keeps its data");

    a.destroy("vm-life");
    assertEquals(VmRuntimeState.UNKNOWN, a.status("vm-life"));
    assertEquals(Optional.empty(), listed(a, "vm-life"), "a destroyed vm is gone from the list");
    AdapterException e = failure(() -> a.start("vm-life"));
    assertTrue(e.getMessage().contains("vm-life"), e.getMessage());
  }

  @Test
  void repeatedCallsAreHarmless() {
    VmSpec s = spec("vm-idem");
    a.define("vm-idem", s);
    a.define("vm-idem", s);
    await(a.copyImage("vm-idem", s, p -> {}));
    await(a.start("vm-idem"));
    await(a.start("vm-idem"));
    assertEquals(VmRuntimeState.RUNNING, a.status("vm-idem"));
    await(a.stop("vm-idem"));
    await(a.stop("vm-idem"));
    assertEquals(VmRuntimeState.STOPPED, a.status("vm-idem"));
    if (a.capabilities().contains(Capability.COLD_MOVE)) {
      assertTrue(a.hasData("vm-idem"));
      a.deleteData("vm-idem");
      a.deleteData("vm-idem");
      assertFalse(a.hasData("vm-idem"));
    }
    a.destroy("vm-idem");
    a.destroy("vm-idem");
    a.destroy("never-defined");
    assertEquals(VmRuntimeState.UNKNOWN, a.status("vm-idem"));
  }

  @Test
  void reportsACrashWithinOneSecond() throws Exception {
    BlockingQueue<Map.Entry<String, VmRuntimeState>> events = new LinkedBlockingQueue<>();
    a.onStateChange((id, st) -> events.add(Map.entry(id, st)));
    VmSpec s = spec("vm-crash");
    a.define("vm-crash", s);
    await(a.copyImage("vm-crash", s, p -> {}));
    await(a.start("vm-crash"));
    assertTrue(events.isEmpty(), "no event for changes the caller made: " + events);

    long t0 = System.nanoTime();
    crashBehindTheAdaptersBack(a, "vm-crash");
    var event = events.poll(1, TimeUnit.SECONDS);
    assertNotNull(event, "no crash reported within 1 s");
    assertTrue(System.nanoTime() - t0 < Duration.ofMillis(1500).toNanos());
    assertEquals(Map.entry("vm-crash", VmRuntimeState.CRASHED), event);
    assertEquals(VmRuntimeState.CRASHED, a.status("vm-crash"));

    await(a.start("vm-crash"));
    assertEquals(VmRuntimeState.RUNNING, a.status("vm-crash"), "a crashed vm starts again");
    await(a.stop("vm-crash"));
  }

  @Test
  void movesAStoppedVmsDataToAnotherHost() throws Exception {
    VmSpec s = spec("vm-move");
    a.define("vm-move", s);
    await(a.copyImage("vm-move", s, p -> {}));
    if (!a.capabilities().contains(Capability.COLD_MOVE)) {
      assertUnsupported("export of data", () -> a.exportData("vm-move", p -> {}));
      return;
    }
    boolean marked = putMarker("host-a", "vm-move");
    await(a.start("vm-move"));
    AdapterException running = failure(() -> a.exportData("vm-move", p -> {}));
    assertTrue(running.getMessage().contains("stopped"), running.getMessage());
    await(a.stop("vm-move"));

    List<Integer> exportProgress = new CopyOnWriteArrayList<>();
    DataBundle bundle = await(a.exportData("vm-move", exportProgress::add));
    assertEquals("host-a", bundle.sourceHost());
    assertEquals(100, exportProgress.get(exportProgress.size() - 1));

    HypervisorAdapter b = open("host-b");
    VmSpec target = spec("vm-move");
    List<Integer> importProgress = new CopyOnWriteArrayList<>();
    await(b.importData("vm-move", target, bundle, importProgress::add));
    assertEquals(100, importProgress.get(importProgress.size() - 1));
    assertTrue(isAscending(importProgress), "progress " + importProgress);
    assertTrue(b.hasData("vm-move"));
    assertEquals(VmRuntimeState.READY, b.status("vm-move"));
    if (marked) assertTrue(hasMarker("host-b", "vm-move"), "data content arrived");

    a.deleteData("vm-move");
    assertFalse(a.hasData("vm-move"));
    await(b.start("vm-move"));
    assertEquals(VmRuntimeState.RUNNING, b.status("vm-move"));
    await(b.stop("vm-move"));
    b.destroy("vm-move");
    a.destroy("vm-move");
  }

  @Test
  void migratesARunningVmLive() throws Exception {
    VmSpec s = spec("vm-live");
    a.define("vm-live", s);
    await(a.copyImage("vm-live", s, p -> {}));
    if (!a.capabilities().contains(Capability.LIVE_MIGRATION)) {
      assertUnsupported("live migration", () -> a.prepareIncoming("vm-live", s));
      return;
    }
    boolean marked = putMarker("host-a", "vm-live");
    await(a.start("vm-live"));
    HypervisorAdapter b = open("host-b");
    MigrationEndpoint endpoint = await(b.prepareIncoming("vm-live", s));
    assertNotNull(endpoint.uri());

    List<Integer> progress = new CopyOnWriteArrayList<>();
    MigrationResult result = await(a.migrateLive("vm-live", endpoint, progress::add));
    await(b.finishIncoming("vm-live"));

    assertEquals(VmRuntimeState.RUNNING, b.status("vm-live"));
    assertEquals(VmRuntimeState.UNKNOWN, a.status("vm-live"), "gone from the source");
    assertEquals(100, progress.get(progress.size() - 1));
    assertTrue(result.totalMillis() > 0 && result.downtimeMillis() >= 0
        && result.downtimeMillis() <= result.totalMillis(), "figures " + result);
    assertSourceGone(a, "vm-live");
    if (a.capabilities().contains(Capability.COLD_MOVE)) {
      assertFalse(a.hasData("vm-live"));
      assertTrue(b.hasData("vm-live"));
    }
    if (marked) assertTrue(hasMarker("host-b", "vm-live"), "disk content arrived");
    await(b.stop("vm-live"));
    b.destroy("vm-live");
  }

  @Test
  void aFailedOrAbandonedMigrationLeavesTheVmWhereItWas() {
    VmSpec s = spec("vm-abort");
    a.define("vm-abort", s);
    await(a.copyImage("vm-abort", s, p -> {}));
    if (!a.capabilities().contains(Capability.LIVE_MIGRATION)) {
      assertUnsupported("live migration", run(() -> a.abortIncoming("vm-abort")));
      return;
    }
    await(a.start("vm-abort"));
    HypervisorAdapter b = open("host-b");
    MigrationEndpoint endpoint = await(b.prepareIncoming("vm-abort", s));
    b.abortIncoming("vm-abort");
    b.abortIncoming("vm-abort");
    assertEquals(VmRuntimeState.UNKNOWN, b.status("vm-abort"));

    failure(() -> a.migrateLive("vm-abort", endpoint, p -> {}));
    assertEquals(VmRuntimeState.RUNNING, a.status("vm-abort"), "still running on the source");
    await(a.stop("vm-abort"));
  }

  /** Checks, beyond the state, that the source no longer runs the VM (e.g. its process is gone). */
  protected void assertSourceGone(HypervisorAdapter source, String vmId) {}

  // ---- helpers ---------------------------------------------------------------------------------

  /** The entry of {@code vmId} in the adapter's {@link HypervisorAdapter#list()}, failing on a duplicate. */
  public static Optional<ObservedVm> listed(HypervisorAdapter adapter, String vmId) {
    List<ObservedVm> hits = adapter.list().stream().filter(v -> v.vmId().equals(vmId)).toList();
    assertTrue(hits.size() <= 1, "listed once: " + hits);
    return hits.stream().findFirst();
  }

  /** Waits for a stage (60 s at most) and returns its value, rethrowing its failure unwrapped. */
  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() instanceof java.util.concurrent.CompletionException && e.getCause().getCause() != null
          ? e.getCause().getCause() : e.getCause();
      if (c instanceof RuntimeException r) throw r;
      throw new AssertionError(c);
    } catch (TimeoutException e) {
      throw new AssertionError("operation did not complete within 60 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The AdapterException a call fails with, thrown at once or completing its stage exceptionally. */
  public static AdapterException failure(Supplier<? extends CompletionStage<?>> call) {
    try {
      await(call.get());
    } catch (AdapterException e) {
      return e;
    } catch (RuntimeException e) {
      fail("expected an AdapterException, got " + e);
    }
    return fail("expected the call to fail");
  }

  private void assertUnsupported(String operation, Supplier<? extends CompletionStage<?>> call) {
    AdapterException e = failure(call);
    assertEquals(operation + " is not supported by " + kind(), e.getMessage());
  }

  private static Supplier<CompletionStage<?>> run(Runnable r) {
    return () -> {
      r.run();
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    };
  }

  private static boolean isAscending(List<Integer> values) {
    for (int i = 1; i < values.size(); i++) if (values.get(i) < values.get(i - 1)) return false;
    return true;
  }

  /** Skips when a binary is missing, but fails under CI, where every adapter must be tested. */
  public static void requireBinaries(List<String> names) {
    for (String name : names) {
      if (Binaries.find(name).isPresent()) continue;
      if (System.getenv("CI") != null) fail(name + " is missing; CI must test every adapter (see test.sh)");
      Assumptions.abort(name + " is missing; test skipped outside CI");
    }
  }

  /** Process ids whose command line names a path under {@code dir}. */
  public static List<Long> processesUnder(Path dir) throws IOException {
    String needle = dir.toString();
    long self = ProcessHandle.current().pid();
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (pid == self) continue;
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
          if (cmd.contains(needle) && io.actorvmm.adapters.support.ProcStats.alive(pid)) out.add(pid);
        } catch (IOException ignored) {
          // the process ended meanwhile
        }
      }
    }
    return out;
  }
}
