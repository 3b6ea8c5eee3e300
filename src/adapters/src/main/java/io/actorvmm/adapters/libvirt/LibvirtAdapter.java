package io.actorvmm.adapters.libvirt;

import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.HostInventory;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.ObservedVm;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.VmStatistics;
import io.actorvmm.adapters.support.Listeners;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * A host whose VMs are libvirt domains, driven through {@code virsh -c <uri>}.
 *
 * <p>Why virsh and not the Java binding: the binding ({@code org.libvirt:libvirt} 0.5.2 on Maven
 * Central) calls libvirt's C library through JNA, which it declares only as a "provided" dependency;
 * it would add a native binding and its version range to the build for four domain commands, while
 * virsh comes with the same Debian package as the library and its commands are libvirt's documented
 * command-line interface.
 *
 * <p>One virsh shell stays open for the adapter's lifetime ({@link VirshSession}) instead of one virsh
 * per command: the {@code test:///default} driver (tests) keeps its domains only for the life of one
 * connection, so separate invocations would each see a fresh default state; a test driver XML file
 * ({@code test:///path/node.xml}) would not help either, as each connection reloads it. One session
 * also spares a process start per command for real URIs.
 *
 * <p>Mapping: define writes a domain XML (with a UUID derived from the VM id, so a repeated
 * define updates the domain) to {@code <dataDir>/<vmId>.xml} and runs {@code define};
 * start {@code start}; stop {@code shutdown}, then {@code destroy} if the domain still runs after the
 * shutdown grace time; destroy {@code destroy} and {@code undefine}; status {@code domstate}; statistics
 * {@code dominfo} (CPU time over the interval since the previous reading, used memory). copyImage does
 * not manage storage volumes: the domain XML carries no disk, so it only reports completion.
 * Capabilities: STATISTICS only. Live migration and export/import of data are not implemented (the test
 * driver cannot do them) and fail as unsupported. {@link #list()} and {@link #unmanaged()} read one
 * {@code list --all} each: the domains this adapter defined with their states (a domain counts as
 * holding data once its image was "copied", as the adapter keeps no storage of its own), and the
 * running domains it did not define. A poller asks {@code domstate} of running domains
 * every 250 ms and reports one that stopped or crashed without the adapter's doing to
 * {@link #onStateChange} listeners.
 */
public final class LibvirtAdapter implements HypervisorAdapter {

  private record CpuSample(double cpuSeconds, long nanos) {}

  private final Path dataDir;
  private final Resources capacity;
  private final String domainType;
  private final long shutdownGraceMillis;
  private final VirshSession virsh;
  private final Map<String, VmSpec> specs = new ConcurrentHashMap<>();
  private final Map<String, VmRuntimeState> known = new ConcurrentHashMap<>();
  private final Set<String> imaged = ConcurrentHashMap.newKeySet();
  private final Map<String, CpuSample> cpu = new ConcurrentHashMap<>();
  private final Listeners listeners = new Listeners();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "libvirt-poller");
    t.setDaemon(true);
    return t;
  });

  /**
   * A libvirt host at {@code uri} (e.g. {@code test:///default}, {@code qemu:///system}) keeping its
   * domain XML under {@code dataDir}; {@code domainType} is the XML's domain type ("test", "qemu", "kvm").
   */
  public LibvirtAdapter(Path virshBinary, String uri, Path dataDir, Resources capacity, String domainType,
                        long shutdownGraceMillis) {
    this.dataDir = dataDir.toAbsolutePath();
    this.capacity = capacity;
    this.domainType = domainType;
    this.shutdownGraceMillis = shutdownGraceMillis;
    try {
      Files.createDirectories(this.dataDir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create data directory " + dataDir + ": " + e.getMessage());
    }
    this.virsh = new VirshSession(virshBinary, uri, 30_000);
    poller.scheduleWithFixedDelay(this::poll, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Runs a virsh command in the adapter's session (diagnostics and tests); returns its output lines. */
  public List<String> virsh(String command) {
    return virsh.run(command);
  }

  @Override
  public String kind() {
    return "libvirt";
  }

  @Override
  public HostInventory inventory() {
    return new HostInventory(capacity, List.of("libvirt"));
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.STATISTICS);
  }

  @Override
  public void onStateChange(BiConsumer<String, VmRuntimeState> listener) {
    listeners.add(listener);
  }

  @Override
  public void define(String vmId, VmSpec spec) {
    if (!vmId.matches("[A-Za-z0-9._-]+")) throw new AdapterException("vm id " + vmId + " is not a valid libvirt domain name");
    Path xml = dataDir.resolve(vmId + ".xml");
    try {
      Files.writeString(xml, domainXml(vmId, spec));
    } catch (IOException e) {
      throw new AdapterException("cannot write domain xml of " + vmId + ": " + e.getMessage(), e);
    }
    virsh.run("define " + xml);
    specs.put(vmId, spec);
    known.putIfAbsent(vmId, VmRuntimeState.DEFINED);
  }

  private String domainXml(String vmId, VmSpec spec) {
    return "<domain type='" + domainType + "'>\n"
        + "  <name>" + vmId + "</name>\n"
        + "  <uuid>" + java.util.UUID.nameUUIDFromBytes(vmId.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "</uuid>\n"
        + "  <memory unit='MiB'>" + spec.memoryMiB() + "</memory>\n"
        + "  <vcpu>" + Math.max(1, spec.cpuCores()) + "</vcpu>\n"
        + "  <os><type arch='x86_64'>hvm</type></os>\n"
        + "</domain>\n";
  }

  @Override
  public CompletionStage<Void> copyImage(String vmId, VmSpec spec, IntConsumer progressPercent) {
    require(vmId);
    progressPercent.accept(100);
    imaged.add(vmId);
    known.computeIfPresent(vmId, (id, s) -> s == VmRuntimeState.DEFINED ? VmRuntimeState.READY : s);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> start(String vmId) {
    require(vmId);
    try {
      if (!"running".equals(domstate(vmId))) virsh.run("start " + vmId);
      known.put(vmId, VmRuntimeState.RUNNING);
      return CompletableFuture.completedFuture(null);
    } catch (AdapterException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> stop(String vmId) {
    require(vmId);
    return CompletableFuture.runAsync(() -> {
      known.put(vmId, VmRuntimeState.STOPPED); // before the domain stops, so the poller sees no crash
      if (!"running".equals(domstate(vmId))) return;
      virsh.run("shutdown " + vmId);
      long deadline = System.currentTimeMillis() + shutdownGraceMillis;
      while ("running".equals(domstate(vmId)) && System.currentTimeMillis() < deadline) pause();
      if ("running".equals(domstate(vmId))) virsh.run("destroy " + vmId);
    }, poller);
  }

  @Override
  public void destroy(String vmId) {
    if (specs.remove(vmId) == null) return;
    known.remove(vmId);
    imaged.remove(vmId);
    cpu.remove(vmId);
    if ("running".equals(domstate(vmId))) virsh.run("destroy " + vmId);
    virsh.run("undefine " + vmId);
    try {
      Files.deleteIfExists(dataDir.resolve(vmId + ".xml"));
    } catch (IOException ignored) {
      // a leftover XML file is rewritten by the next define
    }
  }

  @Override
  public VmRuntimeState status(String vmId) {
    VmRuntimeState mine = known.get(vmId);
    if (mine == null) return VmRuntimeState.UNKNOWN;
    return stateOf(domstate(vmId), mine);
  }

  /** The state of a domain libvirt reports as {@code s}, given what the adapter last made of it. */
  private static VmRuntimeState stateOf(String s, VmRuntimeState mine) {
    return switch (s) {
      case "running", "in shutdown", "blocked" -> VmRuntimeState.RUNNING;
      case "crashed" -> VmRuntimeState.CRASHED;
      case "shut off" -> mine == VmRuntimeState.RUNNING ? VmRuntimeState.STOPPED : mine;
      default -> VmRuntimeState.STOPPED;
    };
  }

  /** The domains this adapter defined, as one {@code list --all} shows them; vanished ones are left out. */
  @Override
  public List<ObservedVm> list() {
    Map<String, String> domains = domains();
    List<ObservedVm> out = new ArrayList<>();
    for (var e : known.entrySet()) {
      String s = domains.get(e.getKey());
      if (s != null) out.add(new ObservedVm(e.getKey(), stateOf(s, e.getValue()), imaged.contains(e.getKey())));
    }
    return out;
  }

  @Override
  public Set<String> vmIds() {
    return Set.copyOf(known.keySet());
  }

  /** Running domains of this libvirt connection that this adapter did not define. */
  @Override
  public List<String> unmanaged() {
    List<String> out = new ArrayList<>();
    domains().forEach((name, s) -> {
      if (!specs.containsKey(name) && !"shut off".equals(s)) out.add(name);
    });
    return out;
  }

  /** Every domain's name and state from one {@code list --all}. */
  private Map<String, String> domains() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String line : virsh.run("list --all")) {
      String[] f = line.trim().split("\\s+", 3);
      // "Id Name State" rows; the header and its rule do not start with an id or "-"
      if (f.length == 3 && f[0].matches("\\d+|-")) out.put(f[1], f[2].trim());
    }
    return out;
  }

  @Override
  public VmStatistics statistics(String vmId) {
    if (!specs.containsKey(vmId) || status(vmId) != VmRuntimeState.RUNNING) return VmStatistics.NONE;
    Map<String, String> info = fields(virsh.run("dominfo " + vmId));
    double cpuSeconds = parseNumber(info.get("CPU time"));
    long usedKiB = (long) parseNumber(info.get("Used memory"));
    int vcpus = Math.max(1, (int) parseNumber(info.get("CPU(s)")));
    long now = System.nanoTime();
    CpuSample prev = cpu.put(vmId, new CpuSample(cpuSeconds, now));
    double pct = 0;
    if (prev != null && now > prev.nanos()) {
      pct = Math.max(0, (cpuSeconds - prev.cpuSeconds()) / ((now - prev.nanos()) / 1e9) * 100 / vcpus);
    }
    return new VmStatistics(Math.min(100, pct), usedKiB / 1024, 0, 0);
  }

  @Override
  public boolean hostAlive() {
    try {
      virsh.run("uri");
      return true;
    } catch (AdapterException e) {
      return false;
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    virsh.close();
  }

  private void poll() {
    for (var e : known.entrySet()) {
      if (e.getValue() != VmRuntimeState.RUNNING) continue;
      String s;
      try {
        s = domstate(e.getKey());
      } catch (AdapterException ex) {
        continue;
      }
      VmRuntimeState now = "crashed".equals(s) || "shut off".equals(s) ? VmRuntimeState.CRASHED : null;
      if (now != null && known.replace(e.getKey(), VmRuntimeState.RUNNING, now)) listeners.fire(e.getKey(), now);
    }
  }

  private String domstate(String vmId) {
    List<String> out = virsh.run("domstate " + vmId);
    return out.isEmpty() ? "" : out.get(0).trim();
  }

  private void require(String vmId) {
    if (!specs.containsKey(vmId)) throw new AdapterException("vm " + vmId + " is not defined on this host");
  }

  private static Map<String, String> fields(List<String> lines) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String l : lines) {
      int colon = l.indexOf(':');
      if (colon > 0) out.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
    }
    return out;
  }

  private static double parseNumber(String s) {
    if (s == null) return 0;
    String digits = s.replaceAll("[^0-9.]", "");
    try {
      return digits.isEmpty() ? 0 : Double.parseDouble(digits);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
