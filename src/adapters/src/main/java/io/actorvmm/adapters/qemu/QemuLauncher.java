package io.actorvmm.adapters.qemu;

import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.support.ProcStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts and ends QEMU processes: builds the command line (TCG, no display but VNC on a Unix socket,
 * the qcow2 disk as block node "disk0", QMP on a Unix socket, a pidfile), runs QEMU as a child with
 * its output in the VM's log, and waits until its monitor answers.
 */
final class QemuLauncher {

  /** The block node name of every VM's disk; live migration exports and mirrors it by this name. */
  static final String DISK_NODE = "disk0";

  private final Path qemu;
  private final Path qemuImg;
  private final long memoryCapMiB;
  private final int cpuCap;

  QemuLauncher(Path qemu, Path qemuImg, long memoryCapMiB, int cpuCap) {
    this.qemu = qemu;
    this.qemuImg = qemuImg;
    this.memoryCapMiB = memoryCapMiB;
    this.cpuCap = cpuCap;
  }

  /** Creates an empty qcow2 disk of {@code gib} GiB (at least 1) at {@code disk}. */
  void createDisk(Path disk, long gib) {
    run(List.of(qemuImg.toString(), "create", "-q", "-f", "qcow2", disk.toString(), Math.max(1, gib) + "G"),
        "qemu-img create");
  }

  /** The command line of {@code vm}; {@code incomingUri} non-null makes QEMU wait for a migration stream. */
  List<String> command(QemuVm vm, String incomingUri) {
    long mem = memoryCapMiB > 0 ? Math.min(vm.spec.memoryMiB(), memoryCapMiB) : vm.spec.memoryMiB();
    int cpus = Math.max(1, cpuCap > 0 ? Math.min(vm.spec.cpuCores(), cpuCap) : vm.spec.cpuCores());
    List<String> cmd = new ArrayList<>(List.of(qemu.toString(),
        "-name", "avm-" + vm.id,
        "-accel", "tcg",
        "-m", Long.toString(Math.max(16, mem)),
        "-smp", Integer.toString(cpus),
        "-nodefaults", "-no-user-config",
        "-display", "none",
        "-vnc", "unix:" + vm.file(QemuVm.VNC),
        "-serial", "none", "-monitor", "none",
        "-blockdev", "driver=qcow2,node-name=" + DISK_NODE + ",file.driver=file,file.filename=" + vm.file(QemuVm.DISK),
        "-device", "virtio-blk-pci,drive=" + DISK_NODE,
        "-qmp", "unix:" + vm.file(QemuVm.QMP) + ",server=on,wait=off",
        "-pidfile", vm.file(QemuVm.PIDFILE).toString()));
    if (incomingUri != null) cmd.addAll(List.of("-incoming", incomingUri));
    return cmd;
  }

  /**
   * Starts QEMU for {@code vm} and connects to its monitor; fails with the last line of QEMU's log
   * when the process exits first.
   */
  void launch(QemuVm vm, String incomingUri) {
    try {
      Files.deleteIfExists(vm.file(QemuVm.QMP));
      Files.deleteIfExists(vm.file(QemuVm.PIDFILE));
      ProcessBuilder pb = new ProcessBuilder(command(vm, incomingUri));
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(vm.file(QemuVm.LOG).toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      vm.expectExit = false;
      vm.process = p.toHandle();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (vm.qmp == null) {
        if (!p.isAlive()) {
          p.waitFor();
          throw new AdapterException("qemu for " + vm.id + " exited: " + lastLogLine(vm));
        }
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new AdapterException("qemu for " + vm.id + " did not open its monitor within 15 s");
        }
        if (Files.exists(vm.file(QemuVm.QMP))) {
          try {
            vm.qmp = QmpClient.connect(vm.file(QemuVm.QMP), Duration.ofMillis(100), Duration.ofSeconds(10));
          } catch (AdapterException notYet) {
            // QEMU opens the socket before it has checked the disk; look again whether it still runs
          }
        }
        if (vm.qmp == null) Thread.sleep(20);
      }
    } catch (IOException e) {
      throw new AdapterException("cannot start qemu for " + vm.id + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdapterException("interrupted while starting " + vm.id);
    }
  }

  /**
   * Ends the VM's QEMU process: {@code quit} over QMP, then SIGTERM, then SIGKILL, waiting for the
   * exit each time; afterwards removes the runtime files (pidfile, sockets).
   */
  void terminate(QemuVm vm) {
    vm.expectExit = true;
    ProcessHandle p = vm.process;
    if (p != null && p.isAlive()) {
      try {
        QmpClient c = vm.qmp;
        if (c != null) c.execute("quit");
      } catch (AdapterException ignored) {
        // the monitor may already be gone; the signals below end the process
      }
      if (!waitExit(p, Duration.ofSeconds(5))) {
        p.destroy();
        if (!waitExit(p, Duration.ofSeconds(3))) {
          p.destroyForcibly();
          waitExit(p, Duration.ofSeconds(5));
        }
      }
    }
    vm.disconnect();
    vm.process = null;
    cleanRuntimeFiles(vm);
  }

  /** Removes pidfile and sockets of a VM whose process is gone. */
  static void cleanRuntimeFiles(QemuVm vm) {
    for (String f : List.of(QemuVm.PIDFILE, QemuVm.QMP, QemuVm.VNC)) {
      try {
        Files.deleteIfExists(vm.file(f));
      } catch (IOException ignored) {
        // a leftover socket file does no harm
      }
    }
  }

  /** The process a pidfile names, if it is alive and is QEMU running this VM's directory. */
  static java.util.Optional<ProcessHandle> adoptable(QemuVm vm) {
    try {
      long pid = Long.parseLong(Files.readString(vm.file(QemuVm.PIDFILE)).trim());
      String cmd = ProcStats.cmdline(pid);
      if (ProcStats.alive(pid) && cmd.contains("qemu-system") && cmd.contains(vm.file(QemuVm.QMP).toString())) {
        return ProcessHandle.of(pid);
      }
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.empty();
  }

  /**
   * The guest name of a QEMU command line: the value of {@code -name}, either plain or its
   * {@code guest=} part ({@code -name guest=x,debug-threads=on}).
   */
  static java.util.Optional<String> nameOf(List<String> argv) {
    int i = argv.indexOf("-name");
    if (i < 0 || i + 1 >= argv.size()) return java.util.Optional.empty();
    String v = argv.get(i + 1);
    for (String part : v.split(",")) {
      if (part.startsWith("guest=")) return java.util.Optional.of(part.substring(6));
    }
    String plain = v.split(",")[0];
    return plain.isEmpty() || plain.contains("=") ? java.util.Optional.empty() : java.util.Optional.of(plain);
  }

  static boolean waitExit(ProcessHandle p, Duration within) {
    try {
      p.onExit().get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return !p.isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      return !p.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  static String lastLogLine(QemuVm vm) {
    try {
      List<String> lines = Files.readAllLines(vm.file(QemuVm.LOG));
      for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).trim();
    } catch (IOException ignored) {
      // no log yet
    }
    return "no output";
  }

  private static void run(List<String> cmd, String what) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() != 0) throw new AdapterException(what + " failed: " + out.lines().reduce((a, b) -> b).orElse("exit " + p.exitValue()));
    } catch (IOException e) {
      throw new AdapterException(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdapterException(what + " interrupted");
    }
  }
}
