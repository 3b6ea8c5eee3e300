package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node on the embedded H2 journal, killed with SIGKILL right after it acknowledged changes, loses
 * none of them: every VM whose creation was answered 201 exists after the node restarts on the same
 * data directory, with the spec it was created with.
 */
class KillNineDurabilityTest {

  private static final Duration START = Duration.ofMinutes(5);
  private final List<Process> processes = new ArrayList<>();
  private Path dir;

  @AfterEach
  void stop() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    TestNodes.deleteQuietly(dir);
  }

  private Api launch(int port, int apiPort, String name) throws IOException {
    Path out = dir.resolve(name + ".out");
    ProcessBuilder pb = new ProcessBuilder(Repo.root().resolve("avm").toString(), "node", "--roles", "seed,host",
        "--host-id", "k1", "--port", String.valueOf(port), "--api-port", String.valueOf(apiPort),
        "--seeds", "127.0.0.1:" + port, "--data-dir", dir.resolve("data").toString())
        .directory(Repo.root().toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("AVM_HEAP", "512m");
    Process p = pb.start();
    processes.add(p);
    Await.until(name + " up", START, () -> {
      if (!p.isAlive()) throw new IllegalStateException(name + " exited: " + read(out));
      return read(out).contains("node up:");
    });
    Api api = new Api(apiPort);
    TestNodes.awaitHostsUp(api, "k1");
    return api;
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void acknowledgedChangesSurviveKillNine() throws Exception {
    dir = TestNodes.tempDir("kill9");
    int port = Ports.free();
    int apiPort = Ports.free();
    Api api = launch(port, apiPort, "first");
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "durable-" + i;
      if (api.post("/api/vms", Api.vm(id, 1, 256 + i)).status() == 201) acknowledged.add(id);
    }
    assertEquals(40, acknowledged.size());
    // no pause: the process dies right after its last answer, before any delayed write could happen
    Process first = processes.get(0);
    first.descendants().forEach(ProcessHandle::destroyForcibly);
    first.destroyForcibly();
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));

    Api again = launch(port, apiPort, "second");
    for (int i = 0; i < acknowledged.size(); i++) {
      String id = acknowledged.get(i);
      Api.Response r = again.get("/api/vms/" + id);
      assertEquals(200, r.status(), () -> id + " lost after kill -9: " + r);
      assertEquals(256 + i, r.json().path("spec").path("memoryMiB").asInt(), id + "'s spec");
    }
  }
}
