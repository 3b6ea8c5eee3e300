package io.actorvmm.adapters.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.contract.AdapterContract;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The adapter contract against real QEMU processes (TCG, 64 MiB, empty disks). */
class QemuContractTest extends AdapterContract {

  @Override
  protected String kind() {
    return "qemu";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("memoryCapMiB", "64", "cpuCap", "1");
  }

  @Override
  protected List<String> requiredBinaries() {
    return List.of("qemu-system-x86_64", "qemu-img", "qemu-io");
  }

  @Override
  protected Set<Capability> expectedCapabilities() {
    return EnumSet.of(Capability.COLD_MOVE, Capability.LIVE_MIGRATION, Capability.STATISTICS);
  }

  @Override
  protected VmSpec spec(String vmId) {
    return new VmSpec(1, 2048, 1, 10, "qemu", "blank", true, 0);
  }

  @Override
  protected void crashBehindTheAdaptersBack(HypervisorAdapter adapter, String vmId) {
    long pid = ((QemuAdapter) adapter).pid(vmId).orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
  }

  @Override
  protected boolean putMarker(String hostId, String vmId) throws IOException {
    Path vmDir = hostDir(hostId).resolve(vmId);
    Files.writeString(vmDir.resolve("notes.txt"), "kept");
    String out = qemuIo(vmDir.resolve(QemuVm.DISK), "write -P 0x5a 1M 64k");
    assertTrue(out.contains("wrote 65536/65536 bytes"), out);
    return true;
  }

  @Override
  protected boolean hasMarker(String hostId, String vmId) throws IOException {
    Path vmDir = hostDir(hostId).resolve(vmId);
    String out = qemuIo(vmDir.resolve(QemuVm.DISK), "read -P 0x5a 1M 64k");
    boolean diskKept = out.contains("read 65536/65536 bytes") && !out.contains("Pattern verification failed");
    // the live path moves the disk through the mirror only; the cold path moves every file
    boolean live = vmId.equals("vm-live");
    Path notes = vmDir.resolve("notes.txt");
    return diskKept && (live || Files.exists(notes) && Files.readString(notes).equals("kept"));
  }

  /** Runs qemu-io on a disk (a read shares it with a QEMU that may use it) and returns its output. */
  static String qemuIo(Path disk, String command) throws IOException {
    try {
      List<String> cmd = command.startsWith("read")
          ? List.of("qemu-io", "-U", "-r", "-f", "qcow2", "-c", command, disk.toString())
          : List.of("qemu-io", "-f", "qcow2", "-c", command, disk.toString());
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  protected void assertSourceGone(HypervisorAdapter source, String vmId) {
    try {
      assertEquals(List.of(), processesUnder(hostDir("host-a")), "source qemu still runs");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertTrue(!Files.exists(hostDir("host-a").resolve(vmId)), "source directory removed");
  }
}
