package io.actorvmm.adapters.fence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actorvmm.adapters.support.ProcStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stops every VM a node's hosts run, from their files alone, without the node: what a host's
 * watchdog does when the node stopped vouching for them, and what a downed node does before it exits.
 * Under {@code <data-dir>/hosts/<host>/}:
 *
 * <ul>
 *   <li>QEMU: each {@code <vm>/qemu.pid} whose process is a {@code qemu-system} with that VM's monitor
 *       socket is killed (SIGKILL: a fence does not wait for a guest to shut down);
 *   <li>process: each {@code <vm>/program.pid} whose process has that VM's {@code AVM_DATA_DIR} is
 *       killed with the processes it started;
 *   <li>simulated: {@code simulated-state.json}'s running and booting VMs are written stopped, their
 *       data kept (what a real host's disks keep after a power-off).
 * </ul>
 *
 * A pid file whose process is another (pids are reused) is left alone. libvirt hosts are not
 * fenced here: their domains live in a daemon that may be remote, so their failover waits for an
 * operator (see {@code Fencing.Mode.MANUAL}).
 */
public final class Fence {
  private Fence() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Stops every VM of every host under {@code hostsDir}; one line per VM stopped (or failure). */
  public static List<String> stopAll(Path hostsDir) {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(hostsDir)) return out;
    try (Stream<Path> hosts = Files.list(hostsDir)) {
      for (Path host : hosts.filter(Files::isDirectory).sorted().toList()) out.addAll(stopHost(host));
    } catch (IOException e) {
      out.add("cannot list " + hostsDir + ": " + e.getMessage());
    }
    return out;
  }

  /** Stops every VM of the host whose data is in {@code hostDir}. */
  public static List<String> stopHost(Path hostDir) {
    List<String> out = new ArrayList<>();
    String host = hostDir.getFileName().toString();
    try (Stream<Path> vms = Files.list(hostDir)) {
      for (Path vm : vms.filter(Files::isDirectory).sorted().toList()) {
        String id = vm.getFileName().toString();
        Long qemu = pid(vm.resolve("qemu.pid"));
        Path qmp = vm.resolve("qmp.sock");
        String cmd = qemu == null ? "" : ProcStats.cmdline(qemu);
        if (qemu != null && cmd.contains("qemu-system") && (cmd.contains(qmp.toString())
            || cmd.contains(qmp.toAbsolutePath().normalize().toString())) && kill(qemu)) {
          out.add("host " + host + ": killed QEMU of vm " + id + " (pid " + qemu + ")");
        }
        Long program = pid(vm.resolve("program.pid"));
        if (program != null && ourProgram(program, vm.resolve("data")) && kill(program)) {
          out.add("host " + host + ": killed the program of vm " + id + " (pid " + program + ")");
        }
      }
    } catch (IOException e) {
      out.add("host " + host + ": cannot list " + hostDir + ": " + e.getMessage());
    }
    Path state = hostDir.resolve("simulated-state.json");
    if (Files.isRegularFile(state)) out.addAll(stopSimulated(host, state));
    return out;
  }

  private static List<String> stopSimulated(String host, Path file) {
    List<String> out = new ArrayList<>();
    try {
      JsonNode kept = JSON.readTree(file.toFile());
      if (kept == null || !kept.isArray()) return out;
      for (JsonNode vm : kept) {
        String state = vm.path("state").asText();
        if (vm instanceof ObjectNode o && (state.equals("RUNNING") || state.equals("BOOTING"))) {
          o.put("state", vm.path("data").asBoolean() ? "STOPPED" : "DEFINED");
          out.add("host " + host + ": stopped simulated vm " + vm.path("vmId").asText());
        }
      }
      if (!out.isEmpty()) {
        Path tmp = file.resolveSibling(file.getFileName() + ".fenced");
        JSON.writeValue(tmp.toFile(), kept);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | RuntimeException e) {
      out.add("host " + host + ": cannot stop the simulated VMs in " + file + ": " + e.getMessage());
    }
    return out;
  }

  /** True when {@code pid}'s environment names {@code dataDir} as its AVM_DATA_DIR (as given, or absolute). */
  private static boolean ourProgram(long pid, Path dataDir) {
    Path want = dataDir.toAbsolutePath().normalize();
    for (String e : ProcStats.environ(pid)) {
      if (e.startsWith("AVM_DATA_DIR=")) {
        try {
          return Path.of(e.substring("AVM_DATA_DIR=".length())).toAbsolutePath().normalize().equals(want);
        } catch (RuntimeException bad) {
          return false;
        }
      }
    }
    return false;
  }

  private static Long pid(Path file) {
    try {
      return Files.isRegularFile(file) ? Long.parseLong(Files.readString(file).trim()) : null;
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** Kills {@code pid} and the processes it started (never the calling process); true when it ran. */
  static boolean kill(long pid) {
    if (!ProcStats.alive(pid)) return false;
    long self = ProcessHandle.current().pid();
    ProcessHandle.of(pid).ifPresent(p -> {
      p.descendants().filter(d -> d.pid() != self).forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
    return true;
  }

  /**
   * Kills {@code pid} alone: a node's JVM, whose children (its watchdog among them) are not its VMs'
   * business here; its VMs are found by their pid files.
   */
  static boolean killOne(long pid) {
    if (!ProcStats.alive(pid)) return false;
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    return true;
  }

  /**
   * Loads what a fence needs (the JSON reader, the /proc readers) ahead of time, so a watchdog that
   * fences on a loaded machine does not spend its margin loading classes.
   */
  public static void warmUp() {
    try {
      JSON.readTree("[{\"vmId\":\"x\",\"state\":\"RUNNING\",\"data\":true}]");
      JSON.writeValueAsString(JSON.createArrayNode());
    } catch (IOException e) {
      // nothing to warm
    }
    ProcStats.alive(ProcessHandle.current().pid());
    ProcStats.environ(ProcessHandle.current().pid());
    ProcStats.cmdline(ProcessHandle.current().pid());
    stopAll(Path.of("/nonexistent-avm-warm-up"));
  }
}
