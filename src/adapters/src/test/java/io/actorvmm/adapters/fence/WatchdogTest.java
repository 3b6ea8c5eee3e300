package io.actorvmm.adapters.fence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.adapters.support.ProcStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog as a real process, against real processes: a stand-in for the node (a {@code sleep}
 * that renews through the test), a program VM (a {@code sleep} with its VM's AVM_DATA_DIR), a QEMU
 * process with its VM's monitor socket, and a simulated host's kept state.
 */
class WatchdogTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final List<Process> started = new ArrayList<>();
  private Path fence;
  private Path host;
  private Process node;
  private Process program;
  private Process qemu;
  private long seq;

  @BeforeEach
  void layout() throws Exception {
    fence = dir.resolve("fence").resolve("node-1");
    host = dir.resolve("hosts").resolve("h1");
    Path vm = host.resolve("vm-1");
    Files.createDirectories(vm.resolve("data"));
    node = start(new ProcessBuilder("sleep", "3600.11"));
    ProcessBuilder pb = new ProcessBuilder("sleep", "3600.12");
    pb.environment().put("AVM_DATA_DIR", vm.resolve("data").toString());
    program = start(pb);
    Files.writeString(vm.resolve("program.pid"), program.pid() + "\n");
    // a process whose pid file names another VM's data directory is not ours: left alone
    Path other = host.resolve("vm-2");
    Files.createDirectories(other);
    Process stranger = start(new ProcessBuilder("sleep", "3600.13"));
    Files.writeString(other.resolve("program.pid"), stranger.pid() + "\n");
    // a real QEMU (no machine, paused: light even under TCG) with the VM's monitor socket
    Path qvm = host.resolve("q-1");
    Files.createDirectories(qvm);
    qemu = start(new ProcessBuilder("qemu-system-x86_64", "-machine", "none", "-display", "none", "-nodefaults", "-S",
        "-serial", "none", "-monitor", "none", "-qmp", "unix:" + qvm.resolve("qmp.sock") + ",server=on,wait=off"));
    Files.writeString(qvm.resolve("qemu.pid"), qemu.pid() + "\n");
    Files.writeString(host.resolve("simulated-state.json"), "[{\"vmId\":\"s-1\",\"spec\":{},\"state\":\"RUNNING\","
        + "\"data\":true},{\"vmId\":\"s-2\",\"spec\":{},\"state\":\"STOPPED\",\"data\":true}]");
  }

  @AfterEach
  void cleanUp() {
    started.forEach(Process::destroyForcibly);
  }

  private Process start(ProcessBuilder pb) throws Exception {
    Process p = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    started.add(p);
    return p;
  }

  private Process watchdog() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return start(new ProcessBuilder(java, "-Xmx24m", "-cp", System.getProperty("java.class.path"),
        Watchdog.class.getName(), fence.toString(), host.toString()));
  }

  private void renew(Process who, long timeoutMillis) throws Exception {
    Files.createDirectories(fence);
    Path tmp = fence.resolve("renewal.new");
    Files.writeString(tmp, "renew " + (++seq) + " " + who.pid() + " " + ProcStats.startTicks(who.pid()) + " "
        + timeoutMillis + "\n");
    Files.move(tmp, Watchdog.renewalFile(fence), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  private String log() {
    try {
      return Files.exists(Watchdog.logFile(fence)) ? Files.readString(Watchdog.logFile(fence)) : "";
    } catch (Exception e) {
      return "";
    }
  }

  @Test
  void whenTheNodeStopsRenewingItKillsTheNodeAndStopsEveryVmOfItsHosts() throws Exception {
    renew(node, 2000);
    Process dog = watchdog();
    await("armed", () -> log().contains("armed by node process " + node.pid()));
    // renewals keep it from fencing for longer than the timeout
    for (int i = 0; i < 30; i++) {
      renew(node, 2000);
      Thread.sleep(100);
    }
    assertTrue(node.isAlive() && program.isAlive() && qemu.isAlive(), log());
    assertFalse(log().contains("FENCE"), log());
    // the node stops renewing
    await("node killed", () -> !node.isAlive());
    await("program killed", () -> !program.isAlive());
    await("QEMU killed", () -> !qemu.isAlive());
    await("fenced", () -> log().contains("fenced: "));
    assertTrue(log().contains("killed QEMU of vm q-1 (pid " + qemu.pid() + ")"), log());
    String state = Files.readString(host.resolve("simulated-state.json"));
    assertTrue(state.contains("\"vmId\":\"s-1\",\"spec\":{},\"state\":\"STOPPED\""), state);
    assertTrue(log().contains("FENCE: node process " + node.pid() + " has not renewed for 2000 ms"), log());
    assertTrue(log().contains("killed the program of vm vm-1"), log());
    assertTrue(log().contains("stopped simulated vm s-1"), log());
    assertFalse(log().contains("vm-2"), "a process that is not the VM's was touched: " + log());
    assertTrue(started.get(2).isAlive(), "the stranger process was killed");
    assertTrue(dog.isAlive(), "the watchdog waits for the node's next process");
  }

  @Test
  void renewalsOfAnotherProcessDoNotCountForTheOneThatArmedIt() throws Exception {
    renew(node, 2000);
    Process dog = watchdog();
    await("armed", () -> log().contains("armed by node process " + node.pid()));
    Process restarted = start(new ProcessBuilder("sleep", "3600.14"));
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!log().contains("FENCE") && System.nanoTime() < end) {
      renew(restarted, 2000);
      Thread.sleep(100);
    }
    assertTrue(log().contains("FENCE: node process " + node.pid()), log());
    await("program killed", () -> !program.isAlive());
    // and then the new process arms it
    await("armed again", () -> {
      try {
        renew(restarted, 2000);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return log().contains("armed by node process " + restarted.pid());
    });
    assertTrue(restarted.isAlive());
    assertTrue(dog.isAlive());
  }

  @Test
  void aReleaseEndsItWithoutFencingAndASecondWatchdogExitsAtOnce() throws Exception {
    renew(node, 2000);
    Process dog = watchdog();
    await("armed", () -> log().contains("armed by node process " + node.pid()));
    Process second = watchdog();
    assertTrue(second.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "a second watchdog runs");
    assertEquals(0, second.exitValue());
    Files.writeString(Watchdog.renewalFile(fence), "release " + node.pid() + " " + ProcStats.startTicks(node.pid()));
    assertTrue(dog.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the released watchdog still runs: " + log());
    assertTrue(node.isAlive() && program.isAlive(), "a released watchdog fenced: " + log());
    assertFalse(log().contains("FENCE"), log());
  }
}
