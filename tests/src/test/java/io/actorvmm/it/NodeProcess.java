package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One real {@code ./avm node} process started by a test, with its own ports and output file. */
final class NodeProcess {
  /** How long a node may take to start the first time (./avm builds the project when it must). */
  static final Duration FIRST_START = Duration.ofMinutes(5);

  final String name;
  final int port;
  final int apiPort;
  final Path stdout;
  final Process process;

  private NodeProcess(String name, int port, int apiPort, Path stdout, Process process) {
    this.name = name;
    this.port = port;
    this.apiPort = apiPort;
    this.stdout = stdout;
    this.process = process;
  }

  /** Builds the project once if needed (./avm --version), so node starts later are quick. */
  static void buildOnce(Path dir) throws Exception {
    Path out = dir.resolve("version.out");
    Process v = new ProcessBuilder(Repo.root().resolve("avm").toString(), "--version").directory(Repo.root().toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(v.waitFor(FIRST_START.toSeconds(), TimeUnit.SECONDS) && v.exitValue() == 0, "./avm --version");
  }

  /**
   * Starts {@code ./avm node} named {@code name} on cluster port {@code port} and API port {@code apiPort}
   * with {@code args} and waits until it prints "node up".
   */
  static NodeProcess start(Path dir, String name, int port, int apiPort, List<String> args) throws IOException {
    return start(dir, name, port, apiPort, args, java.util.Map.of());
  }

  /** Like {@link #start(Path, String, int, int, List)}, with more environment ({@code AVM_JAVA_OPTS}, ...). */
  static NodeProcess start(Path dir, String name, int port, int apiPort, List<String> args,
                           java.util.Map<String, String> env) throws IOException {
    NodeProcess node = launch(dir, name, port, apiPort, args, env);
    Await.until(name + " prints 'node up'", FIRST_START, () -> {
      if (!node.process.isAlive()) throw new IllegalStateException(name + " exited: " + node.output());
      return node.output().contains("node up: " + node.address());
    });
    return node;
  }

  /** Starts {@code ./avm node} like {@link #start}, without waiting for anything. */
  static NodeProcess launch(Path dir, String name, int port, int apiPort, List<String> args,
                            java.util.Map<String, String> env) throws IOException {
    Path stdout = dir.resolve(name + "-" + System.nanoTime() + ".out");
    List<String> cmd = new ArrayList<>(List.of(Repo.root().resolve("avm").toString(), "node",
        "--port", String.valueOf(port), "--api-port", String.valueOf(apiPort)));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.root().toFile()).redirectErrorStream(true)
        .redirectOutput(stdout.toFile());
    pb.environment().put("AVM_HEAP", "384m");
    pb.environment().putAll(env);
    return new NodeProcess(name, port, apiPort, stdout, pb.start());
  }

  /** The node's cluster address. */
  String address() {
    return "pekko://avm@127.0.0.1:" + port;
  }

  /** What the node printed so far. */
  String output() {
    try {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills the node with SIGKILL, as a crash would, leaving whatever its hypervisor runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), name + " did not die");
  }

  /** Stops the node and everything it started (tests' clean-up). */
  void destroy() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
