package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ./avm demo and its data directory: a directory made by a demo of another kind is refused with
 * one line, --fresh deletes a demo's directory but never one that is not a demo's, and a stopped
 * process demo leaves none of its programs running.
 */
class DemoDataDirTest {
  // the first ./avm may build the distribution
  private static final Duration START = Duration.ofMinutes(5);

  private final List<Process> processes = new ArrayList<>();
  // a program that outlives a failing demo is no longer its descendant: kept here to be ended
  private final List<ProcessHandle> programs = new ArrayList<>();
  private Path dir;
  private Path out;

  @BeforeEach
  void setUp() {
    dir = TestNodes.tempDir("demo-dir");
    out = dir.resolve("demo.out");
  }

  @AfterEach
  void tearDown() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    programs.forEach(ProcessHandle::destroyForcibly);
    TestNodes.deleteQuietly(dir);
  }

  private int apiPort;

  private Process demo(String... args) throws IOException {
    apiPort = Ports.free();
    List<String> command = new ArrayList<>(List.of(Repo.root().resolve("avm").toString(), "demo",
        "--port", Integer.toString(Ports.free()), "--api-port", Integer.toString(apiPort)));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().put("AVM_HEAP", "512m");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private String output() {
    try {
      return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  private int finish(Process p) throws Exception {
    assertTrue(p.waitFor(START.toSeconds(), TimeUnit.SECONDS), "the demo did not finish: " + output());
    return p.exitValue();
  }

  @Test
  void aDirectoryOfAnotherKindIsRefused() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("demo-hypervisor"), "simulated\n");

    int code = finish(demo("--hypervisor", "process", "--data-dir", data.toString()));

    assertEquals(2, code, output());
    assertEquals(1, output().strip().lines().count(), output());
    assertTrue(output().contains("simulated") && output().contains("--fresh"), output());
    assertFalse(Files.exists(data.resolve("journal.mv.db")), "the refused demo opened no journal");
  }

  @Test
  void freshLeavesADirectoryThatIsNotADemosAlone() throws Exception {
    Path data = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(data.resolve("notes.txt"), "precious");

    int code = finish(demo("--fresh", "--data-dir", data.toString()));

    assertEquals(2, code, output());
    assertEquals(1, output().strip().lines().count(), output());
    assertEquals("precious", Files.readString(data.resolve("notes.txt")));
  }

  @Test
  void freshStartsADemoOverInItsDirectory() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("demo-hypervisor"), "process\n");
    Files.writeString(data.resolve("left-by-the-process-demo.txt"), "old");

    int code = finish(demo("--fresh", "--hypervisor", "simulated", "--duration", "3", "--data-dir", data.toString()));

    assertEquals(0, code, output());
    assertEquals("simulated", Files.readString(data.resolve("demo-hypervisor")).strip());
    assertFalse(Files.exists(data.resolve("left-by-the-process-demo.txt")), "--fresh emptied the directory");
    assertTrue(Files.exists(data.resolve("journal.mv.db")), output());
  }

  @Test
  void aStoppedProcessDemoLeavesNoProgramRunning() throws Exception {
    Process p = demo("--hypervisor", "process", "--data-dir", dir.resolve("data").toString());
    Await.until("the service is available", START, () -> {
      if (!p.isAlive()) throw new IllegalStateException("the demo exited: " + output());
      return output().contains("all 3 applications are up");
    });
    // ./avm execs java, so the programs are the demo process's children (and its only ones: a node
    // starts no other process; their command lines are too long for ProcessHandle to report)
    programs.addAll(p.children().toList());
    assertEquals(4, programs.size(), "two web front-ends, a database and a payment application");

    p.destroy(); // SIGTERM, as a service manager or a terminal's Ctrl-C stops it
    assertEquals(0, finish(p), output());

    // the demo ends its programs before it exits; the pause only covers the kernel reaping them
    Await.until("no program of the demo runs", Duration.ofSeconds(10),
        () -> programs.stream().noneMatch(ProcessHandle::isAlive));

    // again on the same directory: the journal says the programs run, the host runs none; reconciliation
    // starts them again and the service is available within 30 s, by the processes that really run
    Process again = demo("--hypervisor", "process", "--data-dir", dir.resolve("data").toString());
    Await.until("the second demo's API", START, () -> {
      if (!again.isAlive()) throw new IllegalStateException("the demo exited: " + output());
      return new Api(apiPort).get("/api/services/ecommerce").status() == 200;
    });
    long t0 = System.nanoTime();
    Api api = new Api(apiPort);
    Await.until("four programs running again and the service available", Duration.ofSeconds(30), () ->
        again.children().filter(ProcessHandle::isAlive).count() == 4
            && api.get("/api/services/ecommerce").json().path("availability").asText().equals("available"));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos());
    List<JsonNode> history = Api.list(api.get("/api/audit/history/vm:db-1").ok());
    assertTrue(history.stream().anyMatch(e -> e.path("event").asText().equals("VmRestarting")
        && e.path("who").asText().equals("system:reconcile")), history::toString);
    programs.addAll(again.children().toList());
  }
}
