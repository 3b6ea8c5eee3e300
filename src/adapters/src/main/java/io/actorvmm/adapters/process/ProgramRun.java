package io.actorvmm.adapters.process;

import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.support.ProcStats;
import io.actorvmm.domain.VmSpec;
import java.nio.file.Path;

/**
 * What the process adapter knows of one application: its directory ({@code data/} holds its own data,
 * {@code program.log} its output, {@code program.pid} the id of its running process), its spec, and
 * while it runs, its process: a child of this adapter ({@code process}), or one left running by an
 * earlier run of the node and adopted ({@code adopted}), which this JVM cannot wait for.
 * {@code expectExit} is set before the adapter ends the process, so an exit without it is a crash.
 */
final class ProgramRun {

  final String id;
  final Path dir;
  volatile VmSpec spec;
  // the program as asked for, before its placeholders were filled in
  volatile io.actorvmm.domain.ProgramSpec template;
  volatile VmRuntimeState state;
  volatile Process process;
  volatile ProcessHandle adopted;
  volatile boolean expectExit;

  ProgramRun(String id, Path dir, VmSpec spec, VmRuntimeState state) {
    this.id = id;
    this.dir = dir;
    this.spec = spec;
    this.state = state;
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  Path log() {
    return dir.resolve("program.log");
  }

  Path pidFile() {
    return dir.resolve("program.pid");
  }

  /** The running process, child or adopted, or null when none runs. */
  ProcessHandle handle() {
    Process p = process;
    if (p != null) return p.isAlive() ? p.toHandle() : null;
    ProcessHandle a = adopted;
    // not our child: a zombie is not reaped by this JVM, so /proc's state tells whether it still runs
    return a != null && a.isAlive() && ProcStats.alive(a.pid()) ? a : null;
  }

  boolean running() {
    return handle() != null;
  }
}
