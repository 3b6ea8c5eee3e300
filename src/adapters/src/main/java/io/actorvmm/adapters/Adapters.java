package io.actorvmm.adapters;

import io.actorvmm.adapters.libvirt.LibvirtAdapter;
import io.actorvmm.adapters.process.ProcessAdapter;
import io.actorvmm.adapters.qemu.QemuAdapter;
import io.actorvmm.adapters.simulated.SimulatedHypervisor;
import io.actorvmm.adapters.support.Binaries;
import io.actorvmm.adapters.support.Machine;
import io.actorvmm.domain.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Creates the adapter of a host by kind. Options (all optional, as strings):
 * <ul>
 *   <li>every kind: {@code cpu}, {@code memoryMiB}, {@code diskGiB}, {@code networkMbit} (the capacity
 *       reported; measured on this machine when absent, except for simulated: 8/16384/500/1000);</li>
 *   <li>simulated: {@code copyMillis}, {@code bootMillis} (0), {@code progressSteps} (10 when copying
 *       takes time, else 1), {@code downtimeMillis} (5), {@code runtimes} (comma list,
 *       "simulated,qemu,process"), {@code durable} (false). With a host data directory, the VMs'
 *       definitions, states and data are always kept in {@code simulated-state.json} under it and
 *       outlive the process; {@code durable} only decides what becomes of VMs that were running: true,
 *       they run again in the next process (like hypervisor processes that outlive their control
 *       program); false, they come back stopped with their data (like a machine that rebooted);</li>
 *   <li>qemu: {@code qemuBinary} (qemu-system-x86_64), {@code qemuImgBinary} (qemu-img),
 *       {@code memoryCapMiB} and {@code cpuCap} (0: none), {@code keepRunning} (false);</li>
 *   <li>libvirt: {@code uri} (test:///default), {@code virshBinary} (virsh), {@code domainType} ("test"
 *       for test: uris, else "kvm"), {@code shutdownGraceMillis} (10000);</li>
 *   <li>process: {@code startTimeoutSeconds} (60), {@code keepRunning} (false).</li>
 * </ul>
 */
public final class Adapters {

  /** The kinds {@link #create} knows. */
  public static final List<String> KINDS = List.of("simulated", "qemu", "libvirt", "process");

  private Adapters() {}

  /**
   * The adapter of kind {@code kind} for host {@code hostId}, keeping its data under
   * {@code hostDataDir}. Throws IllegalArgumentException with a one-line reason for an unknown kind,
   * a malformed option, or a missing binary ("qemu-system-x86_64 not found: install qemu-system-x86").
   */
  public static HypervisorAdapter create(String kind, String hostId, Path hostDataDir, Map<String, String> options) {
    Map<String, String> o = options == null ? Map.of() : options;
    return switch (kind == null ? "" : kind) {
      case "simulated" -> simulated(hostId, hostDataDir, o);
      case "qemu" -> new QemuAdapter(hostId, hostDataDir, Machine.capacity(o, hostDataDir),
          Binaries.require(o.getOrDefault("qemuBinary", "qemu-system-x86_64"), "qemu-system-x86"),
          Binaries.require(o.getOrDefault("qemuImgBinary", "qemu-img"), "qemu-utils"),
          Machine.longOption(o, "memoryCapMiB", 0), Machine.intOption(o, "cpuCap", 0), flag(o, "keepRunning"));
      case "libvirt" -> {
        String uri = o.getOrDefault("uri", "test:///default");
        yield new LibvirtAdapter(Binaries.require(o.getOrDefault("virshBinary", "virsh"), "libvirt-clients"), uri,
            hostDataDir, Machine.capacity(o, hostDataDir),
            o.getOrDefault("domainType", uri.startsWith("test:") ? "test" : "kvm"),
            Machine.longOption(o, "shutdownGraceMillis", 10_000));
      }
      case "process" -> new ProcessAdapter(hostId, hostDataDir, Machine.capacity(o, hostDataDir),
          Duration.ofSeconds(Machine.longOption(o, "startTimeoutSeconds", 60)), flag(o, "keepRunning"));
      default -> throw new IllegalArgumentException("unknown hypervisor kind '" + kind + "'; use one of "
          + String.join(", ", KINDS));
    };
  }

  private static SimulatedHypervisor simulated(String hostId, Path hostDataDir, Map<String, String> o) {
    Resources capacity = new Resources(Machine.intOption(o, "cpu", 8), Machine.longOption(o, "memoryMiB", 16384),
        Machine.longOption(o, "diskGiB", 500), Machine.longOption(o, "networkMbit", 1000));
    List<String> runtimes = Arrays.stream(o.getOrDefault("runtimes", "simulated,qemu,process").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList();
    Duration copy = Duration.ofMillis(Machine.longOption(o, "copyMillis", 0));
    int steps = Machine.intOption(o, "progressSteps", copy.isZero() ? 1 : 10);
    return new SimulatedHypervisor(new SimulatedHypervisor.Settings(new HostInventory(capacity, runtimes), copy,
        Duration.ofMillis(Machine.longOption(o, "bootMillis", 0)), steps, hostId,
        Duration.ofMillis(Machine.longOption(o, "downtimeMillis", 5)),
        hostDataDir != null ? hostDataDir.resolve("simulated-state.json") : null, flag(o, "durable")));
  }

  private static boolean flag(Map<String, String> o, String key) {
    return Boolean.parseBoolean(o.getOrDefault(key, "false").trim());
  }
}
