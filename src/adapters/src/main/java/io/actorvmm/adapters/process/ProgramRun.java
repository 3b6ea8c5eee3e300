package io.actorvmm.adapters.process;

import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.domain.VmSpec;
import java.nio.file.Path;

/**
 * What the process adapter knows of one application: its directory ({@code data/} holds its own data,
 * {@code program.log} its output), its spec, and while it runs, its process. {@code expectExit} is set
 * before the adapter ends the process, so an exit without it is a crash.
 */
final class ProgramRun {

  final String id;
  final Path dir;
  volatile VmSpec spec;
  // the program as asked for, before its placeholders were filled in
  volatile io.actorvmm.domain.ProgramSpec template;
  volatile VmRuntimeState state;
  volatile Process process;
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

  boolean running() {
    Process p = process;
    return p != null && p.isAlive();
  }
}
