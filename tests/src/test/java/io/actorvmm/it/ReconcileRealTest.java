package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reconciliation against real hypervisor processes, in a cluster of two real node processes: a seed
 * node whose host p1 runs programs (the process runtime) and a node whose host q1 runs QEMU. The
 * operating system's process table is the witness: a program killed again and again is restarted by
 * its policy, then relocated, then failed with the reason; a QEMU VM killed from outside is restarted;
 * a QEMU process the cluster did not start is listed as unmanaged and left running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcileRealTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private Path dir;
  private NodeProcess seed;
  private NodeProcess qemu;
  private Api api;
  private Process foreign;

  @BeforeAll
  void start() throws Exception {
    dir = TestNodes.tempDir("reconcile-real");
    NodeProcess.buildOnce(dir);
    int seedPort = Ports.free();
    String seeds = "127.0.0.1:" + seedPort;
    // passes every 2 s, so what a pass finds shows quickly
    Map<String, String> env = Map.of("AVM_JAVA_OPTS", "-Davm.agent.reconcile-interval=2s");
    seed = NodeProcess.start(dir, "seed-p1", seedPort, Ports.free(), List.of("--roles", "seed,host", "--seeds", seeds,
        "--host-id", "p1", "--hypervisor", "process", "--data-dir", dir.resolve("data").toString()), env);
    qemu = NodeProcess.start(dir, "node-q1", Ports.free(), Ports.free(), List.of("--roles", "host", "--seeds", seeds,
        "--host-id", "q1", "--hypervisor", "qemu", "--data-dir", dir.resolve("data").toString()), env);
    api = new Api(seed.apiPort, "kim");
    TestNodes.awaitHostsUp(api, "p1", "q1");
  }

  @AfterAll
  void stop() {
    if (foreign != null) foreign.destroyForcibly();
    if (qemu != null) qemu.destroy();
    if (seed != null) seed.destroy();
    // programs and QEMU processes the nodes started are gone with them, or killed here
    ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
        .forEach(ProcessHandle::destroyForcibly);
    TestNodes.deleteQuietly(dir);
  }

  private JsonNode vm(String id) {
    return api.get("/api/vms/" + id).json();
  }

  private JsonNode awaitPhase(String id, String phase) {
    return Await.until(id + " " + phase, WAIT, () -> vm(id), j -> j.path("phase").asText().equals(phase));
  }

  /** The live process whose command line contains {@code marker}, as the operating system lists it. */
  private static Optional<ProcessHandle> process(String marker) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(marker)).findFirst();
  }

  private static long awaitProcess(String marker, long notPid) {
    return Await.until("a process with '" + marker + "' other than pid " + notPid, WAIT,
        () -> process(marker).map(ProcessHandle::pid).orElse(-1L), pid -> pid > 0 && pid != notPid);
  }

  private static void kill(long pid) throws Exception {
    ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
    h.destroyForcibly();  // SIGKILL, from outside the cluster
    h.onExit().get(10, TimeUnit.SECONDS);
  }

  private List<String> events(String ref) {
    return Api.list(api.get("/api/audit/history/" + ref).ok()).stream().map(e -> e.path("event").asText()).toList();
  }

  @Test
  void aProgramKilledAgainAndAgainIsRestartedThenRelocatedThenFailedWithTheReason() throws Exception {
    String marker = "86400.4711";  // sleep takes a fraction: a command line no other process has
    Map<String, Object> vmSpec = new LinkedHashMap<>(Map.of("cpuCores", 1, "memoryMiB", 64, "diskGiB", 1,
        "networkMbit", 1, "runtime", "process", "image", "sleep", "data", "REPLICATED", "restart", "always",
        "maxRestarts", 2));
    vmSpec.put("program", Map.of("command", List.of("sleep", marker)));
    Map<String, Object> service = Map.of("name", "pks", "apps", List.of(Map.of("app", "pk", "kind", "sleeper",
        "replicas", 1, "vm", vmSpec)));
    api.postJson("/api/services", service).ok();
    api.post("/api/services/pks/start", null).ok();
    String vmId = Await.until("the VM of app pk", WAIT, () -> api.get("/api/apps/pk").json(),
        j -> j.path("vms").size() > 0 && !j.path("vms").get(0).path("vmId").asText().isEmpty())
        .path("vms").get(0).path("vmId").asText();
    JsonNode running = awaitPhase(vmId, "running");
    assertEquals("p1", running.path("hostId").asText());
    assertEquals("always: 2 restarts in place within 10 min", running.path("restart").asText(), running::toString);

    long pid = awaitProcess(marker, -1);
    for (int restart = 1; restart <= 2; restart++) {
      kill(pid);
      long next = awaitProcess(marker, pid);
      int expected = restart;
      JsonNode back = Await.until(vmId + " running after restart " + restart, WAIT, () -> vm(vmId),
          j -> j.path("phase").asText().equals("running") && j.path("restarts").asInt() == expected);
      assertEquals("p1", back.path("hostId").asText(), "restarted in place: " + back);
      pid = next;
    }
    kill(pid);
    // relocating reads failed at once; the placement's refusal follows
    JsonNode failed = Await.until(vmId + " failed with no other host", WAIT, () -> vm(vmId),
        j -> j.path("phase").asText().equals("failed") && j.path("reason").asText().contains("no other host"));
    String reason = failed.path("reason").asText();
    assertTrue(reason.startsWith("vm " + vmId + " crashed on p1; restarted 2 times within 10 min: relocating to "
        + "another host; no other host can take it: "), reason);
    List<String> events = events("vm:" + vmId);
    assertEquals(2, events.stream().filter("VmRestarting"::equals).count(), events::toString);
    assertTrue(events.contains("VmRelocating"), events::toString);
    assertEquals("VmFailed", events.get(events.size() - 1), events::toString);
    // and the operating system agrees: the program is not running anywhere
    assertFalse(process(marker).isPresent(), "the program runs although its VM failed");
  }

  @Test
  void aQemuVmKilledFromOutsideIsRestartedAndAForeignQemuIsListedAndLeftAlone() throws Exception {
    String body = Api.write(new LinkedHashMap<>(Map.of("vmId", "qk-1", "cpuCores", 1, "memoryMiB", 64, "diskGiB", 1,
        "networkMbit", 1, "runtime", "qemu", "image", "blank")));
    assertEquals(201, api.post("/api/vms", body).status());
    api.post("/api/vms/qk-1/start", null).ok();
    assertEquals("q1", awaitPhase("qk-1", "running").path("hostId").asText());
    String marker = dir.resolve("data").toString();
    long pid = Await.until("the QEMU process of qk-1", WAIT, () -> ProcessHandle.allProcesses()
        .filter(p -> {
          String c = p.info().commandLine().orElse("");
          return c.contains("qemu-system") && c.contains("qk-1") && c.contains(marker);
        }).map(ProcessHandle::pid).findFirst().orElse(-1L), p -> p > 0);
    kill(pid);
    JsonNode back = Await.until("qk-1 running again", WAIT, () -> vm("qk-1"),
        j -> j.path("phase").asText().equals("running") && j.path("restarts").asInt() == 1);
    assertEquals("q1", back.path("hostId").asText());
    long again = Await.until("a new QEMU process of qk-1", WAIT, () -> ProcessHandle.allProcesses()
        .filter(p -> {
          String c = p.info().commandLine().orElse("");
          return c.contains("qemu-system") && c.contains("qk-1") && c.contains(marker);
        }).map(ProcessHandle::pid).findFirst().orElse(-1L), p -> p > 0 && p != pid);
    assertNotEquals(pid, again);
    List<JsonNode> history = Api.list(api.get("/api/audit/history/vm:qk-1").ok());
    JsonNode restart = history.stream().filter(e -> e.path("event").asText().equals("VmRestarting")).findFirst()
        .orElseThrow(() -> new AssertionError("no VmRestarting in " + history));
    assertEquals("vm qk-1 crashed on q1; restarted in place (restart 1 of 3)",
        restart.path("detail").path("reason").asText(), restart::toString);
    assertEquals("system:reconcile", restart.path("who").asText());

    // a QEMU process that no VM of the cluster owns: listed on its host, never stopped
    foreign = new ProcessBuilder("qemu-system-x86_64", "-name", "foreign-it", "-machine", "none", "-display", "none",
        "-nodefaults", "-S", "-monitor", "none", "-serial", "none").redirectErrorStream(true)
        .redirectOutput(dir.resolve("foreign.out").toFile()).start();
    JsonNode host = Await.until("foreign-it listed as unmanaged on q1", WAIT, () -> api.get("/api/hosts/q1").json(),
        j -> Api.list(j.path("unmanaged")).stream().anyMatch(u -> u.asText().contains("foreign-it")));
    assertTrue(foreign.isAlive(), "the unmanaged QEMU was stopped: " + host);
    assertTrue(events("host:q1").contains("HostUnmanagedChanged"));
    assertTrue(Api.list(host.path("unmanaged")).stream().noneMatch(u -> u.asText().contains("qk-1")),
        "the cluster's own VM is not unmanaged: " + host);
  }
}
