package io.actorvmm.adapters.qemu;

import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.domain.VmSpec;
import java.nio.file.Path;

/**
 * What the QEMU adapter knows of one VM: its directory and spec, and while a QEMU process runs it,
 * the process and the monitor connection. {@code expectExit} is set before the adapter itself ends
 * the process, so an exit without it is a crash.
 */
final class QemuVm {

  /** Files of a VM directory. */
  static final String SPEC = "spec.json";
  static final String DISK = "disk.qcow2";
  static final String PIDFILE = "qemu.pid";
  static final String QMP = "qmp.sock";
  static final String VNC = "vnc.sock";
  static final String LOG = "qemu.log";

  final String id;
  final Path dir;
  volatile VmSpec spec;
  volatile VmRuntimeState state;
  volatile ProcessHandle process;
  volatile QmpClient qmp;
  volatile boolean expectExit;
  volatile boolean incoming;

  QemuVm(String id, Path dir, VmSpec spec, VmRuntimeState state) {
    this.id = id;
    this.dir = dir;
    this.spec = spec;
    this.state = state;
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  boolean running() {
    ProcessHandle p = process;
    return p != null && p.isAlive();
  }

  /** Closes the monitor connection, if any. */
  void disconnect() {
    QmpClient c = qmp;
    qmp = null;
    if (c != null) c.close();
  }
}
