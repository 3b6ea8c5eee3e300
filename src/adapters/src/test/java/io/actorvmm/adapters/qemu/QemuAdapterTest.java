package io.actorvmm.adapters.qemu;

import static io.actorvmm.adapters.contract.AdapterContract.processesUnder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.Adapters;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.ObservedVm;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.contract.AdapterContract;
import io.actorvmm.adapters.support.ProcStats;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the QEMU adapter does beyond the contract: adoption, clean close, VNC, start failures. */
class QemuAdapterTest {

  private static final VmSpec SPEC = new VmSpec(1, 64, 1, 10, "qemu", "blank", true, 0);

  @TempDir
  Path tmp;

  private final List<HypervisorAdapter> opened = new ArrayList<>();

  @BeforeEach
  void binaries() {
    AdapterContract.requireBinaries(List.of("qemu-system-x86_64", "qemu-img"));
  }

  @AfterEach
  void noQemuLeft() throws IOException {
    opened.forEach(HypervisorAdapter::close);
    assertEquals(List.of(), processesUnder(tmp), "qemu processes left behind");
  }

  private QemuAdapter open(boolean keepRunning) {
    QemuAdapter q = (QemuAdapter) Adapters.create("qemu", "h", tmp.resolve("h"),
        Map.of("memoryCapMiB", "64", "keepRunning", Boolean.toString(keepRunning)));
    opened.add(q);
    return q;
  }

  private static void run(QemuAdapter q, String vmId) throws Exception {
    q.define(vmId, SPEC);
    q.copyImage(vmId, SPEC, p -> {}).toCompletableFuture().get(30, TimeUnit.SECONDS);
    q.start(vmId).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aRunningVmHasAVncSocketAndALog() throws Exception {
    QemuAdapter q = open(false);
    run(q, "vm1");
    String vnc = q.vncAddress("vm1").orElseThrow();
    assertTrue(vnc.startsWith("unix:") && Files.exists(Path.of(vnc.substring(5))), vnc);
    assertTrue(Files.exists(tmp.resolve("h/vm1/qemu.log")));
    assertTrue(Files.exists(tmp.resolve("h/vm1/qemu.pid")));
    q.stop("vm1").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(q.vncAddress("vm1").isEmpty());
    assertFalse(Files.exists(tmp.resolve("h/vm1/qemu.pid")), "pidfile removed on stop");
  }

  @Test
  void closeEndsEveryQemu() throws Exception {
    QemuAdapter q = open(false);
    run(q, "vm1");
    long pid = q.pid("vm1").orElseThrow();
    q.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "qemu ended by close");
  }

  @Test
  void aNewAdapterAdoptsQemusLeftRunningListsThemAndLeavesForeignOnesAlone() throws Exception {
    QemuAdapter first = open(true);
    run(first, "vm1");
    run(first, "vm2");
    long pid = first.pid("vm1").orElseThrow();
    long pid2 = first.pid("vm2").orElseThrow();
    first.close();
    assertTrue(ProcStats.alive(pid) && ProcStats.alive(pid2), "kept running");
    Process named = foreignQemu("-name", "foreign-x");
    Process nameless = foreignQemu();
    try {
      QemuAdapter second = open(false);
      assertEquals(VmRuntimeState.RUNNING, second.status("vm1"));
      assertEquals(pid, second.pid("vm1").orElseThrow());
      assertEquals(Set.of(new ObservedVm("vm1", VmRuntimeState.RUNNING, true),
          new ObservedVm("vm2", VmRuntimeState.RUNNING, true)), Set.copyOf(second.list()), "adopted");
      List<String> unmanaged = second.unmanaged();
      assertTrue(unmanaged.contains("foreign-x"), "foreign qemu by name: " + unmanaged);
      assertTrue(unmanaged.contains("pid " + nameless.pid()), "nameless foreign qemu by pid: " + unmanaged);
      assertFalse(unmanaged.contains("avm-vm1") || unmanaged.contains("avm-vm2"), "ours are managed: " + unmanaged);

      second.stop("vm1").toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(VmRuntimeState.STOPPED, second.status("vm1"));
      assertFalse(ProcStats.alive(pid), "the adopted qemu is gone from /proc");
      assertEquals(Set.of(new ObservedVm("vm1", VmRuntimeState.STOPPED, true),
          new ObservedVm("vm2", VmRuntimeState.RUNNING, true)), Set.copyOf(second.list()));

      second.close();
      assertFalse(ProcStats.alive(pid2), "close without keepRunning ends an adopted qemu too");
      assertTrue(named.isAlive() && nameless.isAlive(), "foreign qemus are never touched");
    } finally {
      named.destroyForcibly();
      nameless.destroyForcibly();
    }
  }

  /** A QEMU this adapter did not start: no machine, no display, so it only waits. */
  private static Process foreignQemu(String... extra) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-display", "none", "-nodefaults",
        "-machine", "none", "-monitor", "none", "-serial", "none"));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
  }

  @Test
  void aVmWhoseQemuWasKilledReadsStoppedWithItsDataInANewAdapter() throws Exception {
    QemuAdapter first = open(true);
    run(first, "vm1");
    long pid = first.pid("vm1").orElseThrow();
    first.close();
    ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
    h.destroyForcibly(); // as a crash of QEMU while no node ran would
    h.onExit().get(10, TimeUnit.SECONDS);

    QemuAdapter second = open(false);
    assertEquals(List.of(new ObservedVm("vm1", VmRuntimeState.STOPPED, true)), second.list());
  }

  @Test
  void aStalePidfileIsCleanedAndTheVmReadsStopped() throws Exception {
    QemuAdapter first = open(false);
    first.define("vm1", SPEC);
    first.copyImage("vm1", SPEC, p -> {}).toCompletableFuture().get(30, TimeUnit.SECONDS);
    first.close();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(tmp.resolve("h/vm1/qemu.pid"), gone.pid() + "\n");

    QemuAdapter second = open(false);
    assertEquals(VmRuntimeState.STOPPED, second.status("vm1"));
    assertFalse(Files.exists(tmp.resolve("h/vm1/qemu.pid")));
    assertTrue(second.hasData("vm1"), "data kept");
  }

  @Test
  void aQemuThatCannotStartFailsWithItsOwnMessage() throws Exception {
    QemuAdapter q = open(false);
    q.define("vm1", SPEC);
    q.copyImage("vm1", SPEC, p -> {}).toCompletableFuture().get(30, TimeUnit.SECONDS);
    Files.writeString(tmp.resolve("h/vm1/disk.qcow2"), "not a qcow2 image");
    AdapterException e = AdapterContract.failure(() -> q.start("vm1"));
    assertTrue(e.getMessage().startsWith("qemu for vm1 exited: "), e.getMessage());
    assertTrue(e.getMessage().contains("qcow2"), e.getMessage());
    assertEquals(VmRuntimeState.READY, q.status("vm1"));
  }

  @Test
  void startWithoutADiskIsRefused() {
    QemuAdapter q = open(false);
    q.define("vm1", SPEC);
    AdapterException e = AdapterContract.failure(() -> q.start("vm1"));
    assertEquals("vm vm1 has no disk on this host; copy its image first", e.getMessage());
  }
}
