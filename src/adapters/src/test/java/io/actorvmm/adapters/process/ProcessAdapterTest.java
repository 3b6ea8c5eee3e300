package io.actorvmm.adapters.process;

import static io.actorvmm.adapters.contract.AdapterContract.await;
import static io.actorvmm.adapters.contract.AdapterContract.failure;
import static io.actorvmm.adapters.contract.AdapterContract.listed;
import static io.actorvmm.adapters.contract.AdapterContract.processesUnder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.Adapters;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.ObservedVm;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.support.Ports;
import io.actorvmm.adapters.support.ProcStats;
import io.actorvmm.domain.ProgramSpec;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime beyond the contract: dependencies through health checks, start failures, close. */
class ProcessAdapterTest {

  @TempDir
  Path tmp;

  private final List<HypervisorAdapter> opened = new ArrayList<>();

  @AfterEach
  void noProgramLeft() throws IOException {
    opened.forEach(HypervisorAdapter::close);
    assertEquals(List.of(), processesUnder(tmp), "programs left running");
  }

  private ProcessAdapter open(Map<String, String> options) {
    ProcessAdapter p = (ProcessAdapter) Adapters.create("process", "h", tmp.resolve("h"), options);
    opened.add(p);
    return p;
  }

  private static VmSpec spec(ProgramSpec program) {
    return new VmSpec(1, 128, 1, 1, "process", null, true, 0).withProgram(program);
  }

  private static CompletionStage<Void> defineAndStart(ProcessAdapter p, String vm, VmSpec s) {
    p.define(vm, s);
    await(p.copyImage(vm, s, x -> {}));
    return p.start(vm);
  }

  @Test
  void placeholdersGiveEachReplicaItsOwnPortThatLastsAcrossDefines() throws Exception {
    ProcessAdapter p = open(Map.of());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProgramSpec template = new ProgramSpec(List.of(java, "-Xmx32m", "-Davm.test.dir=" + tmp, "-cp",
        System.getProperty("java.class.path"), DemoHttpApp.class.getName(), "--port", "{port}", "--name", "{vm}"),
        null, Map.of("WHO", "{vm}"), "http://127.0.0.1:{port}/health");
    VmSpec web = spec(template);
    await(defineAndStart(p, "web-1", web));
    await(defineAndStart(p, "web-2", web));
    String health1 = p.resolvedProgram("web-1").health();
    String health2 = p.resolvedProgram("web-2").health();
    assertFalse(health1.equals(health2), "each replica gets its own port: " + health1 + " " + health2);
    assertEquals(200, get(health1.replace("/health", "/")));
    assertEquals(200, get(health2.replace("/health", "/")));
    assertEquals(Map.of("WHO", "web-2"), p.resolvedProgram("web-2").env());
    await(p.stop("web-1"));
    p.define("web-1", web);
    assertEquals(health1, p.resolvedProgram("web-1").health(), "a define again keeps the port");
    await(p.stop("web-2"));
  }

  @Test
  void paymentRunsOnlyOnceTheDatabaseAnswers() throws Exception {
    ProcessAdapter p = open(Map.of());
    int dbPort = Ports.free();
    int appPort = Ports.free();
    VmSpec payment = spec(ProcessContractTest.demoApp(tmp, "payment", appPort,
        "http://127.0.0.1:" + appPort + "/health", "--needs", "tcp:127.0.0.1:" + dbPort));
    CompletionStage<Void> started = defineAndStart(p, "payment", payment);
    assertEquals(503, getOnceListening("http://127.0.0.1:" + appPort + "/health"));
    Thread.sleep(300); // a few more health polls
    assertEquals(VmRuntimeState.BOOTING, p.status("payment"), "waits for the database");
    try (ServerSocket db = new ServerSocket(dbPort, 50, InetAddress.getLoopbackAddress())) {
      await(started);
      assertEquals(VmRuntimeState.RUNNING, p.status("payment"));
      assertEquals(200, get("http://127.0.0.1:" + appPort + "/"));
    }
    await(p.stop("payment"));
  }

  @Test
  void aProgramThatExitsEarlyFailsWithItsExitCodeAndLastWords() {
    ProcessAdapter p = open(Map.of());
    VmSpec s = spec(new ProgramSpec(List.of("sh", "-c", "echo cannot open database; exit 3"), null, Map.of(), "tcp:1"));
    AdapterException e = failure(() -> defineAndStart(p, "bad", s));
    assertEquals("program of bad exited with code 3 before it was healthy: cannot open database", e.getMessage());
    assertEquals(VmRuntimeState.STOPPED, p.status("bad"));
  }

  @Test
  void aProgramThatNeverGetsHealthyIsEndedAfterTheTimeout() throws Exception {
    ProcessAdapter p = open(Map.of("startTimeoutSeconds", "1"));
    int closed = Ports.free();
    VmSpec s = spec(new ProgramSpec(List.of("sleep", "30"), null, Map.of(), "tcp:127.0.0.1:" + closed));
    AdapterException e = failure(() -> defineAndStart(p, "slow", s));
    assertEquals("program of slow did not pass health check tcp:127.0.0.1:" + closed + " within 1 s", e.getMessage());
    assertFalse(p.pid("slow").isPresent());
  }

  @Test
  void theProgramGetsItsEnvironmentAndDataDirectory() throws Exception {
    ProcessAdapter p = open(Map.of());
    VmSpec s = spec(new ProgramSpec(List.of("sh", "-c", "echo \"$GREETING $AVM_VM_ID\" > out.txt; exec sleep 30"),
        null, Map.of("GREETING", "hello"), null));
    await(defineAndStart(p, "env", s));
    Path out = tmp.resolve("h/env/data/out.txt");
    for (int i = 0; i < 50 && !Files.exists(out); i++) Thread.sleep(20);
    Thread.sleep(50);
    assertEquals("hello env", Files.readString(out).trim());
    await(p.stop("env"));
  }

  @Test
  void closeEndsProgramsUnlessToldToKeepThem() throws Exception {
    ProcessAdapter p = open(Map.of());
    VmSpec s = spec(new ProgramSpec(List.of("sleep", "30"), null, Map.of(), null));
    await(defineAndStart(p, "s", s));
    long pid = p.pid("s").orElseThrow();
    p.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

    ProcessAdapter keep = (ProcessAdapter) Adapters.create("process", "k", tmp.resolve("k"), Map.of("keepRunning", "true"));
    await(defineAndStart(keep, "s", s));
    long kept = keep.pid("s").orElseThrow();
    keep.close();
    ProcessHandle h = ProcessHandle.of(kept).orElseThrow();
    assertTrue(h.isAlive(), "kept running");
    h.destroyForcibly();
  }

  @Test
  void aNewAdapterAdoptsProgramsLeftRunningAndNoticesTheirExit() throws Exception {
    ProcessAdapter first = open(Map.of("keepRunning", "true"));
    await(defineAndStart(first, "plain", spec(new ProgramSpec(List.of("sleep", "30"), null, Map.of(), null))));
    // a shell that execs: the command line changes, the environment the adapter gave stays
    await(defineAndStart(first, "shell", spec(new ProgramSpec(List.of("sh", "-c", "exec sleep 31"), null, Map.of(), null))));
    long plain = first.pid("plain").orElseThrow();
    long shell = first.pid("shell").orElseThrow();
    first.close();
    assertTrue(ProcStats.alive(plain) && ProcStats.alive(shell), "kept running");

    ProcessAdapter second = open(Map.of());
    BlockingQueue<Map.Entry<String, VmRuntimeState>> events = new LinkedBlockingQueue<>();
    second.onStateChange((id, st) -> events.add(Map.entry(id, st)));
    assertEquals(Set.of(new ObservedVm("plain", VmRuntimeState.RUNNING, true),
        new ObservedVm("shell", VmRuntimeState.RUNNING, true)), Set.copyOf(second.list()), "adopted");
    assertEquals(plain, second.pid("plain").orElseThrow());
    assertEquals(VmRuntimeState.RUNNING, second.status("shell"));

    ProcessHandle.of(shell).orElseThrow().destroyForcibly(); // the adopted program dies on its own
    assertEquals(Map.entry("shell", VmRuntimeState.CRASHED), events.poll(5, TimeUnit.SECONDS), "exit noticed");
    assertEquals(Optional.of(new ObservedVm("shell", VmRuntimeState.CRASHED, true)), listed(second, "shell"));

    await(second.stop("plain"));
    assertEquals(VmRuntimeState.STOPPED, second.status("plain"));
    assertFalse(ProcStats.alive(plain), "the adopted program is gone from /proc");
    assertTrue(events.isEmpty(), "no event for a stop the caller asked for: " + events);

    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(tmp.resolve("h/plain/program.pid"), gone.pid() + "\n");
    ProcessAdapter third = open(Map.of());
    assertEquals(Set.of(new ObservedVm("plain", VmRuntimeState.STOPPED, true),
        new ObservedVm("shell", VmRuntimeState.STOPPED, true)), Set.copyOf(third.list()), "stale pidfiles: data kept");
    assertFalse(Files.exists(tmp.resolve("h/plain/program.pid")), "stale pidfile removed");
  }

  @Test
  void aVmWithoutAProgramIsRefused() {
    ProcessAdapter p = open(Map.of());
    var e = org.junit.jupiter.api.Assertions.assertThrows(AdapterException.class,
        () -> p.define("x", new VmSpec(1, 1, 1, 1, "process", null, true, 0)));
    assertEquals("vm x has no program to run", e.getMessage());
  }

  /** The status of a GET, retried for up to 20 s while nothing listens yet. */
  private static int getOnceListening(String url) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      try {
        return get(url);
      } catch (java.net.ConnectException e) {
        if (System.nanoTime() > deadline) throw e;
        Thread.sleep(50);
      }
    }
  }

  private static int get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }
}
