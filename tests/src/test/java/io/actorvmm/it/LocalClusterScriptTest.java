package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * config/local-cluster.sh reports a node that came up as up, even when the node's previous run was
 * killed with SIGKILL and left its pid file behind. Runs node 1 only, in a temporary data directory
 * and on free ports (the port-base variables), so it never meets a local cluster on the default ports.
 */
class LocalClusterScriptTest {
  // the script builds the distribution when it is missing, and a node takes a while to open its API
  private static final long RUN_SECONDS = 300;

  private Path dir;
  private int clusterBase;
  private int apiBase;
  private Path slowLaunch;

  /**
   * A directory whose setsid waits a second before it runs the real one: the node's shell then
   * records its pid late, as on a loaded machine, and a script that trusts a pid file still holding
   * the killed node's pid reports the new node as exited every time instead of now and then.
   */
  private Path slowSetsid() throws IOException {
    Path real = java.util.Arrays.stream(System.getenv("PATH").split(java.io.File.pathSeparator))
        .map(d -> Path.of(d, "setsid")).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException("no setsid on PATH"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path wrapper = bin.resolve("setsid");
    Files.writeString(wrapper, "#!/bin/sh\nsleep 1\nexec '" + real + "' \"$@\"\n");
    wrapper.toFile().setExecutable(true);
    return bin;
  }

  /** The output and exit status of one run of the script. */
  private record Run(int code, String output) { }

  private Run script(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Repo.root().resolve("config/local-cluster.sh").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "script", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().put("AVM_DATA_DIR", dir.resolve("data").toString());
    pb.environment().put("AVM_CLUSTER_PORT_BASE", Integer.toString(clusterBase));
    pb.environment().put("AVM_API_PORT_BASE", Integer.toString(apiBase));
    pb.environment().put("AVM_HEAP", "256m");
    pb.environment().put("PATH", slowLaunch + java.io.File.pathSeparator + System.getenv("PATH"));
    Process p = pb.start();
    if (!p.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("local-cluster.sh " + String.join(" ", args) + " did not finish: "
          + Files.readString(out, StandardCharsets.UTF_8));
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private long recordedPid() throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("data/node-1.pid")).trim());
  }

  @AfterEach
  void stop() {
    if (dir == null) return;
    // by command line, not pid file: a failed run may have left a node whose pid was never recorded
    String dataDir = dir.resolve("data").toString();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir)).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
    TestNodes.deleteQuietly(dir);
  }

  @Test
  void aNodeRestartedAfterKillNineIsReportedUp() throws Exception {
    dir = TestNodes.tempDir("local-cluster");
    // node 1 uses base + 1: a free port minus one
    clusterBase = Ports.free() - 1;
    apiBase = Ports.free() - 1;
    slowLaunch = slowSetsid();

    Run first = script("start", "1");
    assertEquals(0, first.code(), first.output());
    assertTrue(first.output().contains("node 1 is up"), first.output());

    long killed = recordedPid();
    ProcessHandle old = ProcessHandle.of(killed).orElseThrow();
    old.destroyForcibly();
    old.onExit().get(30, TimeUnit.SECONDS);
    assertTrue(Files.exists(dir.resolve("data/node-1.pid")), "kill -9 leaves the pid file behind");

    Run again = script("start", "1");
    assertEquals(0, again.code(), again.output());
    assertTrue(again.output().contains("node 1 is up"), again.output());
    assertFalse(again.output().contains("exited"), again.output());
    long restarted = recordedPid();
    assertTrue(restarted != killed && ProcessHandle.of(restarted).map(ProcessHandle::isAlive).orElse(false),
        "the pid file names the new, running node");

    Run status = script("status");
    assertTrue(status.output().contains("node 1  running  pid " + restarted), status.output());

    Run stopped = script("stop", "1");
    assertEquals(0, stopped.code(), stopped.output());
    assertFalse(ProcessHandle.of(restarted).map(ProcessHandle::isAlive).orElse(false), "stop ends the node");
    assertFalse(Files.exists(dir.resolve("data/node-1.pid")), "stop removes the pid file");
  }
}
