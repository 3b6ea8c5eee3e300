package io.actorvmm.adapters.process;

import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.contract.AdapterContract;
import io.actorvmm.adapters.support.Ports;
import io.actorvmm.domain.ProgramSpec;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The adapter contract against the process runtime, running {@link DemoHttpApp} programs. */
class ProcessContractTest extends AdapterContract {

  @Override
  protected String kind() {
    return "process";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("startTimeoutSeconds", "20");
  }

  @Override
  protected List<String> requiredBinaries() {
    return List.of();
  }

  @Override
  protected Set<Capability> expectedCapabilities() {
    return EnumSet.of(Capability.COLD_MOVE, Capability.STATISTICS, Capability.APP_STATISTICS);
  }

  @Override
  protected VmSpec spec(String vmId) {
    int port = Ports.free();
    return new VmSpec(1, 256, 1, 10, "process", null, true, 0)
        .withProgram(demoApp(tmp, vmId, port, "http://127.0.0.1:" + port + "/health"));
  }

  /** A program running {@link DemoHttpApp} on {@code port}; its command line names {@code tmp} so leftovers are found. */
  static ProgramSpec demoApp(Path tmp, String name, int port, String health, String... extra) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx32m", "-XX:TieredStopAtLevel=1",
        "-Davm.test.dir=" + tmp, "-cp", System.getProperty("java.class.path"), DemoHttpApp.class.getName(),
        "--port", Integer.toString(port), "--name", name));
    cmd.addAll(List.of(extra));
    return new ProgramSpec(cmd, null, Map.of(), health);
  }

  @Override
  protected void crashBehindTheAdaptersBack(HypervisorAdapter adapter, String vmId) {
    long pid = ((ProcessAdapter) adapter).pid(vmId).orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
  }

  @Override
  protected boolean putMarker(String hostId, String vmId) throws IOException {
    Files.writeString(hostDir(hostId).resolve(vmId).resolve("data").resolve("orders.db"), "order 42");
    return true;
  }

  @Override
  protected boolean hasMarker(String hostId, String vmId) throws IOException {
    Path f = hostDir(hostId).resolve(vmId).resolve("data").resolve("orders.db");
    return Files.exists(f) && Files.readString(f).equals("order 42");
  }
}
