package io.actorvmm.adapters.simulated;

import static io.actorvmm.adapters.contract.AdapterContract.await;
import static io.actorvmm.adapters.contract.AdapterContract.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.DataBundle;
import io.actorvmm.adapters.HostInventory;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.adapters.MigrationResult;
import io.actorvmm.adapters.ObservedVm;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated host's data moves, migrations and their injected faults. */
class SimulatedHypervisorTest {

  private static final VmSpec SPEC = new VmSpec(2, 1024, 10, 10, "simulated", "web", true, 0);
  private static final HostInventory INV = new HostInventory(new Resources(8, 8192, 100, 1000), List.of("simulated"));

  private final SimulatedHypervisor a = host("sa");
  private final SimulatedHypervisor b = host("sb");

  private static SimulatedHypervisor host(String id) {
    return new SimulatedHypervisor(new SimulatedHypervisor.Settings(INV, Duration.ofMillis(20), Duration.ZERO, 4, id,
        Duration.ofMillis(12)));
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private void runOn(SimulatedHypervisor h, String vm) {
    h.define(vm, SPEC);
    await(h.copyImage(vm, SPEC, p -> {}));
    await(h.start(vm));
  }

  @Test
  void exportAndImportCarryTheVmWithStepwiseProgress() {
    runOn(a, "vm");
    await(a.stop("vm"));
    List<Integer> progress = new CopyOnWriteArrayList<>();
    DataBundle bundle = await(a.exportData("vm", progress::add));
    assertEquals(List.of(25, 50, 75, 100), progress);
    assertEquals(new DataBundle("sa", "sim:sa/vm", 10L << 30), bundle);
    progress.clear();
    await(b.importData("vm", SPEC, bundle, progress::add));
    assertEquals(List.of(25, 50, 75, 100), progress);
    assertEquals(VmRuntimeState.READY, b.status("vm"));
    assertTrue(b.hasData("vm"));
  }

  @Test
  void aBundleFromAnotherProcessImportsAsMetadata() {
    await(b.importData("vm", SPEC, new DataBundle("elsewhere", "sim:elsewhere/vm", 0), p -> {}));
    assertEquals(VmRuntimeState.READY, b.status("vm"));
    await(b.start("vm"));
    assertEquals(VmRuntimeState.RUNNING, b.status("vm"));
  }

  @Test
  void injectedImportAndExportFaultsFailOnce() {
    runOn(a, "vm");
    await(a.stop("vm"));
    a.failNextExport("vm");
    assertEquals("export of vm failed (injected fault)", failure(() -> a.exportData("vm", p -> {})).getMessage());
    DataBundle bundle = await(a.exportData("vm", p -> {}));
    b.failNextImport("*");
    assertEquals("import of vm failed (injected fault)", failure(() -> b.importData("vm", SPEC, bundle, p -> {})).getMessage());
    assertEquals(VmRuntimeState.DEFINED, b.status("vm"));
    assertFalse(b.hasData("vm"));
    await(b.importData("vm", SPEC, bundle, p -> {}));
    assertTrue(b.hasData("vm"));
  }

  @Test
  void liveMigrationReportsTheConfiguredDowntimeAndKeepsTheLoad() {
    runOn(a, "vm");
    a.setActivity("vm", 42);
    MigrationEndpoint to = await(b.prepareIncoming("vm", SPEC));
    assertEquals(VmRuntimeState.BOOTING, b.status("vm"));
    MigrationResult r = await(a.migrateLive("vm", to, p -> {}));
    assertEquals(new MigrationResult(32, 12, 1024L << 20), r);
    await(b.finishIncoming("vm"));
    assertEquals(42, b.statistics("vm").cpuPercent());
    assertEquals(Map.of("web", 42.0), b.statistics("vm").appActivity());
    assertEquals(VmRuntimeState.UNKNOWN, a.status("vm"));
  }

  @Test
  void anInjectedMigrationFaultLeavesTheVmOnTheSource() {
    runOn(a, "vm");
    MigrationEndpoint to = await(b.prepareIncoming("vm", SPEC));
    a.failNextMigration("vm");
    assertEquals("live migration of vm failed (injected fault)", failure(() -> a.migrateLive("vm", to, p -> {})).getMessage());
    assertEquals(VmRuntimeState.RUNNING, a.status("vm"));
    assertEquals("vm vm has not arrived on this host", failure(() -> b.finishIncoming("vm")).getMessage());
    b.abortIncoming("vm");
    assertEquals(VmRuntimeState.UNKNOWN, b.status("vm"));
    // a second attempt succeeds
    MigrationEndpoint again = await(b.prepareIncoming("vm", SPEC));
    await(a.migrateLive("vm", again, p -> {}));
    assertEquals(VmRuntimeState.RUNNING, b.status("vm"));
  }

  @Test
  void applicationFiguresCanBeSetPerApplication() {
    runOn(a, "vm");
    a.setAppActivity("vm", "db", 30);
    a.setAppActivity("vm", "api", 5);
    assertEquals(Map.of("db", 30.0, "api", 5.0), a.statistics("vm").appActivity());
  }

  @Test
  void theOldFourArgumentSettingsStillWork() {
    var s = new SimulatedHypervisor.Settings(INV, Duration.ZERO, Duration.ZERO, 1);
    assertTrue(s.hostId().startsWith("sim-"));
    assertEquals(Duration.ofMillis(5), s.migrationDowntime());
  }

  private static SimulatedHypervisor durable(java.nio.file.Path file, Duration copy) {
    return new SimulatedHypervisor(new SimulatedHypervisor.Settings(INV, copy, Duration.ZERO, 4, "sd", null, file));
  }

  @Test
  void aDurableHostsVmsOutliveTheInstanceAndHalfDoneWorkIsSettled(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("state.json");
    SimulatedHypervisor first = durable(file, Duration.ZERO);
    runOn(first, "running");
    runOn(first, "stopped");
    await(first.stop("stopped"));
    first.define("defined", SPEC);
    first.close();
    SimulatedHypervisor second = durable(file, Duration.ofSeconds(30));
    assertEquals(java.util.Set.of("running", "stopped", "defined"), second.vmIds());
    assertEquals(VmRuntimeState.RUNNING, second.status("running"));
    assertTrue(second.hasData("running"));
    assertEquals(VmRuntimeState.STOPPED, second.status("stopped"));
    assertTrue(second.hasData("stopped"));
    assertEquals(VmRuntimeState.DEFINED, second.status("defined"));
    assertFalse(second.hasData("defined"));
    assertEquals(SPEC.diskGiB(), second.statistics("running").diskUsedGiB(), "the spec is kept too");
    // the process dies during an import and a copy (no close): they leave no data behind
    second.importData("stopped", SPEC, new DataBundle("elsewhere", "sim:elsewhere/stopped", 1), p -> {});
    second.copyImage("defined", SPEC, p -> {});
    assertEquals(VmRuntimeState.COPYING, second.status("defined"));
    SimulatedHypervisor third = durable(file, Duration.ZERO);
    assertEquals(VmRuntimeState.DEFINED, third.status("stopped"));
    assertFalse(third.hasData("stopped"));
    assertEquals(VmRuntimeState.DEFINED, third.status("defined"));
    assertEquals(VmRuntimeState.RUNNING, third.status("running"));
    third.destroy("running");
    SimulatedHypervisor fourth = durable(file, Duration.ZERO);
    assertEquals(VmRuntimeState.UNKNOWN, fourth.status("running"));
    second.close();
    third.close();
    fourth.close();
  }

  /** A node's simulated host made by the factory over {@code dir}, as the runtime makes it. */
  private static SimulatedHypervisor nodeHost(java.nio.file.Path dir, boolean durable) {
    return (SimulatedHypervisor) io.actorvmm.adapters.Adapters.create("simulated", "h", dir,
        Map.of("durable", Boolean.toString(durable)));
  }

  @Test
  void withoutDurableAHostDataDirectoryKeepsDefinitionsAndDataButNothingRunsAfterARestart(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    SimulatedHypervisor first = nodeHost(dir, false);
    runOn(first, "running");
    runOn(first, "stopped");
    await(first.stop("stopped"));
    first.define("defined", SPEC);
    first.close();
    assertTrue(java.nio.file.Files.exists(dir.resolve("simulated-state.json")), "state kept under the data dir");

    SimulatedHypervisor second = nodeHost(dir, false);
    assertEquals(java.util.Set.of(new ObservedVm("running", VmRuntimeState.STOPPED, true),
            new ObservedVm("stopped", VmRuntimeState.STOPPED, true),
            new ObservedVm("defined", VmRuntimeState.DEFINED, false)),
        java.util.Set.copyOf(second.list()), "like a machine that rebooted: disks kept, nothing runs");
    await(second.start("running"));
    assertEquals(VmRuntimeState.RUNNING, second.status("running"), "it starts again from its data");
    second.close();
  }

  @Test
  void aDurableHostsRunningVmRunsAgainAfterARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    SimulatedHypervisor first = nodeHost(dir, true);
    runOn(first, "running");
    first.close();
    SimulatedHypervisor second = nodeHost(dir, true);
    assertEquals(List.of(new ObservedVm("running", VmRuntimeState.RUNNING, true)), second.list());
    second.close();
  }

  @Test
  void liveMigrationWorksBetweenHostsOfDifferentProcessesThroughTheirFiles(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    SimulatedHypervisor source = nodeHost(dir.resolve("n1/hosts/h1"), false);
    SimulatedHypervisor target = nodeHost(dir.resolve("n2/hosts/h2"), false);
    SimulatedHypervisor gone = nodeHost(dir.resolve("n3/hosts/h3"), false);
    try {
      runOn(source, "vm");
      source.setActivity("vm", 42);
      MigrationEndpoint endpoint = await(target.prepareIncoming("vm", SPEC));
      MigrationEndpoint closed = await(gone.prepareIncoming("vm", SPEC));
      gone.close();
      SimulatedHypervisor.forgetPeersInThisJvm();

      AdapterException refused = failure(() -> source.migrateLive("vm", closed, p -> {}));
      assertTrue(refused.getMessage().startsWith("no host awaits vm vm"), refused.getMessage());
      assertEquals(VmRuntimeState.RUNNING, source.status("vm"), "still running on the source");

      await(source.migrateLive("vm", endpoint, p -> {}));
      await(target.finishIncoming("vm"));
      assertEquals(VmRuntimeState.UNKNOWN, source.status("vm"));
      assertEquals(List.of(new ObservedVm("vm", VmRuntimeState.RUNNING, true)), target.list());
      assertEquals(42.0, target.statistics("vm").cpuPercent(), "the load moved along");
      assertEquals(List.of(), List.of(dir.resolve("n2/hosts/h2/incoming").toFile().list()), "await files removed");
    } finally {
      source.close();
      target.close();
    }
  }

  @Test
  void aHostInMemoryKeepsNoFileAndListsItsVms() {
    runOn(a, "vm");
    assertEquals(java.util.Set.of("vm"), a.vmIds());
    assertEquals(List.of(new ObservedVm("vm", VmRuntimeState.RUNNING, true)), a.list());
    assertEquals(VmRuntimeState.UNKNOWN, host("sa").status("vm"));
  }
}
