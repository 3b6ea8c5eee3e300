package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fencing with real node processes and real programs: a seed node (host s1) and three host nodes
 * (a1, b1, c1), all on the process runtime, run eight VMs whose programs are {@code sleep} processes.
 * A host node is killed with SIGKILL, frozen with SIGSTOP for longer than its fence timeout, or cut
 * off from the others by the firewall. Throughout, a witness reads the operating system's process
 * table every few tens of milliseconds (the fence comes seconds before the failover): at no instant
 * does any VM's program run twice. Its VMs run on other hosts afterwards, the watchdog's log says it
 * fenced, and a frozen node is found dead when it is let go (the watchdog killed it). The victim is
 * started again after each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FencingTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int VMS = 8;
  private static final List<String> HOSTS = List.of("a1", "b1", "c1");

  private Path dir;
  private String seeds;
  private NodeProcess seed;
  private final Map<String, NodeProcess> nodes = new ConcurrentHashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();
  private Api api;
  private final String markerBase = "86400." + (10_000 + (int) (Math.random() * 80_000));
  private Thread witness;
  private final AtomicBoolean watching = new AtomicBoolean(true);
  // every instant the witness saw a VM's program run more than once, with where
  private final List<String> twice = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile long samples;

  @BeforeAll
  void start() throws Exception {
    dir = TestNodes.tempDir("fencing");
    NodeProcess.buildOnce(dir);
    int seedPort = Ports.free();
    seeds = "127.0.0.1:" + seedPort;
    seed = NodeProcess.start(dir, "seed-s1", seedPort, Ports.free(), List.of("--roles", "seed,host", "--seeds", seeds,
        "--host-id", "s1", "--hypervisor", "process", "--data-dir", dir.resolve("data").toString()));
    for (String h : HOSTS) {
      ports.put(h, Ports.free());
      startHost(h);
    }
    api = new Api(seed.apiPort, "kim");
    TestNodes.awaitHostsUp(api, "s1", "a1", "b1", "c1");
    Map<String, Object> vmSpec = new LinkedHashMap<>(Map.of("cpuCores", 1, "memoryMiB", 16, "diskGiB", 1,
        "networkMbit", 1, "runtime", "process", "image", "sleep", "data", "REPLICATED"));
    vmSpec.put("program", Map.of("command", List.of("sleep", markerBase)));
    api.postJson("/api/services", Map.of("name", "fen", "apps", List.of(Map.of("app", "fa", "kind", "sleeper",
        "replicas", VMS, "vm", vmSpec)))).ok();
    api.post("/api/services/fen/start", null).ok();
    Await.until(VMS + " VMs of app fa running", WAIT, () -> api.get("/api/apps/fa").json(),
        j -> j.path("vms").size() == VMS && Api.list(j.path("vms")).stream().allMatch(v ->
            api.get("/api/vms/" + v.path("vmId").asText()).json().path("phase").asText().equals("running")));
    Await.until(VMS + " programs running", WAIT, () -> running().size(), n -> n == VMS);
    witness = new Thread(this::watch, "fencing-witness");
    witness.setDaemon(true);
    witness.start();
  }

  @AfterAll
  void stop() throws Exception {
    watching.set(false);
    if (witness != null) witness.join(5000);
    nodes.values().forEach(NodeProcess::destroy);
    if (seed != null) seed.destroy();
    unblockAll();
    ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(markerBase))
        .forEach(ProcessHandle::destroyForcibly);
    ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
        .forEach(ProcessHandle::destroyForcibly);
    if (System.getenv("AVM_IT_KEEP") != null) {
      new ProcessBuilder("cp", "-r", dir.toString(), System.getenv("AVM_IT_KEEP")).start().waitFor();
    }
    TestNodes.deleteQuietly(dir);
  }

  private void startHost(String h) throws Exception {
    nodes.put(h, NodeProcess.start(dir, "node-" + h, ports.get(h), Ports.free(), List.of("--roles", "host", "--seeds",
        seeds, "--host-id", h, "--hypervisor", "process", "--data-dir", dir.resolve("data").toString())));
  }

  /**
   * The operating system's view: for each VM, the hosts whose data directory runs its program now
   * (a program's AVM_DATA_DIR is {@code <data-dir>/hosts/<host>/<vm>/data}).
   */
  private Map<String, List<String>> running() {
    Map<String, List<String>> out = new TreeMap<>();
    Path hosts = dir.resolve("data").resolve("hosts").toAbsolutePath();
    ProcessHandle.allProcesses().forEach(p -> {
      List<String> argv = p.info().arguments().map(List::of).orElse(List.of());
      if (!argv.equals(List.of(markerBase))) return;
      try {
        // a process that has exited but is not reaped yet runs nothing
        String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        if (state == 'Z' || state == 'X') return;
        for (String e : new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ")))
            .split("\0")) {
          if (!e.startsWith("AVM_DATA_DIR=")) continue;
          Path d = Path.of(e.substring("AVM_DATA_DIR=".length())).toAbsolutePath().normalize();
          if (d.startsWith(hosts) && hosts.relativize(d).getNameCount() == 3) {
            Path rel = hosts.relativize(d);
            out.computeIfAbsent(rel.getName(1).toString(), k -> new ArrayList<>()).add(rel.getName(0).toString());
          }
        }
      } catch (Exception gone) {
        // exited meanwhile
      }
    });
    return out;
  }

  private void watch() {
    while (watching.get()) {
      Map<String, List<String>> now = running();
      samples++;
      now.forEach((vm, hosts) -> {
        if (hosts.size() > 1) twice.add(java.time.Instant.now() + " " + vm + " on " + hosts);
      });
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The VMs the journal and the process table agree run on {@code host}. */
  private List<String> vmsOn(String host) {
    List<String> out = new ArrayList<>();
    running().forEach((vm, hosts) -> {
      if (hosts.equals(List.of(host))) out.add(vm);
    });
    return out;
  }

  /** The host node (not the seed) that runs the most VMs now. */
  private String busiest() {
    return HOSTS.stream().max((x, y) -> Integer.compare(vmsOn(x).size(), vmsOn(y).size())).orElseThrow();
  }

  /** Waits until each of {@code vms} runs on one host other than {@code lost}, in the journal and the process table. */
  private void awaitElsewhere(List<String> vms, String lost) {
    for (String vm : vms) {
      JsonNode j = Await.until(vm + " running on a host other than " + lost, WAIT, () -> api.get("/api/vms/" + vm).json(),
          v -> v.path("phase").asText().equals("running") && !v.path("hostId").asText().equals(lost));
      String host = j.path("hostId").asText();
      Await.until(vm + "'s program running on " + host, WAIT, () -> running().getOrDefault(vm, List.of()),
          hosts -> hosts.equals(List.of(host)));
    }
  }

  private String watchdogLog(String host) throws Exception {
    Path log = dir.resolve("data").resolve("fence").resolve("node-" + ports.get(host)).resolve("watchdog.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private void assertNeverTwice() {
    assertTrue(samples > 100, "the witness sampled the process table only " + samples + " times");
    assertTrue(twice.isEmpty(), "a VM ran on two hosts at once: " + twice.subList(0, Math.min(5, twice.size())));
  }

  private void restart(String host) throws Exception {
    startHost(host);
    TestNodes.awaitHostsUp(api, host);
  }

  /** Something done to a host node, or checked about it. */
  private interface Step {
    void on(String victim) throws Exception;
  }

  /**
   * Inflicts {@code fault} on the host node that runs the most VMs; once they all run elsewhere, checks
   * {@code then}, and in any case undoes what must be undone ({@code cleanUp}); then checks that none
   * of them runs on the victim, that none ever ran twice, and starts the victim again.
   */
  private void loseBusiestHost(Step fault, Step then, Step cleanUp) throws Exception {
    String victim = busiest();
    List<String> vms = vmsOn(victim);
    assertFalse(vms.isEmpty(), "no VM runs on " + victim);
    fault.on(victim);
    try {
      awaitElsewhere(vms, victim);
      then.on(victim);
    } finally {
      cleanUp.on(victim);
    }
    for (String vm : vms) assertNotEquals(List.of(victim), running().get(vm));
    assertNeverTwice();
    restart(victim);
  }

  @Test
  void aKilledHostNodesVmsStopBeforeTheyRunElsewhere() throws Exception {
    // the programs outlive the JVM until the watchdog fences them
    loseBusiestHost(victim -> nodes.get(victim).kill(), victim -> {
      assertTrue(watchdogLog(victim).contains("FENCE: node process"), watchdogLog(victim));
      List<JsonNode> history = Api.list(api.get("/api/audit/history/host:" + victim).ok());
      assertTrue(history.stream().anyMatch(e -> e.path("event").asText().equals("HostFenceWait")), history::toString);
    }, victim -> { });
  }

  @Test
  void aHostNodeFrozenLongerThanItsFenceTimeoutIsKilledWithItsVmsBeforeThemRunningElsewhere() throws Exception {
    loseBusiestHost(victim -> signal("STOP", nodes.get(victim).process.pid()), victim -> {
      long pid = nodes.get(victim).process.pid();
      assertTrue(watchdogLog(victim).contains("killed node process " + pid), watchdogLog(victim));
      assertTrue(nodes.get(victim).process.waitFor(20, TimeUnit.SECONDS), "the frozen node still runs");
    }, victim -> {
      // the watchdog killed it: there is nothing left to wake
      if (nodes.get(victim).process.isAlive()) signal("CONT", nodes.get(victim).process.pid());
    });
  }

  @Test
  void aHostNodeCutOffFromTheOthersStopsItsVmsAndExitsBeforeThemRunningElsewhere() throws Exception {
    loseBusiestHost(victim -> block(ports.get(victim)), victim -> {
      Process p = nodes.get(victim).process;
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the cut-off node still runs");
      // downed by the cluster (it found itself alone): it stops its VMs and exits with an error; or its
      // watchdog got there first and killed it
      assertTrue(p.exitValue() == 3 || p.exitValue() == 137, "exit status " + p.exitValue() + ": "
          + nodes.get(victim).output());
    }, victim -> unblockAll());
  }

  private static void signal(String sig, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    assertEquals(0, p.waitFor(), "kill -" + sig + " " + pid);
  }

  // the cluster's traffic to and from one node's port is dropped: Artery opens one connection per
  // direction, so both directions of the node's cluster traffic pass through its own port
  private static final String TABLE = "avm_fencing_test";

  private static void nft(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nft"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "nft " + String.join(" ", args) + ": " + out);
  }

  private static void block(int port) throws Exception {
    nft("add", "table", "inet", TABLE);
    nft("add", "chain", "inet", TABLE, "input", "{ type filter hook input priority 0 ; }");
    nft("add", "rule", "inet", TABLE, "input", "tcp", "dport", Integer.toString(port), "drop");
    nft("add", "rule", "inet", TABLE, "input", "tcp", "sport", Integer.toString(port), "drop");
  }

  private static void unblockAll() {
    try {
      new ProcessBuilder("nft", "delete", "table", "inet", TABLE).redirectErrorStream(true).start().waitFor();
    } catch (Exception e) {
      // no table
    }
  }
}
