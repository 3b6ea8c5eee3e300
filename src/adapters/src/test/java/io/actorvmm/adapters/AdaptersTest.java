package io.actorvmm.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.adapters.simulated.SimulatedHypervisor;
import io.actorvmm.domain.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory: kinds, options, and its one-line refusals. */
class AdaptersTest {

  @TempDir
  Path tmp;

  @Test
  void buildsASimulatedHostFromOptions() {
    try (HypervisorAdapter h = Adapters.create("simulated", "h1", tmp, Map.of("cpu", "4", "memoryMiB", "2048",
        "diskGiB", "50", "networkMbit", "100", "runtimes", "simulated, process"))) {
      assertTrue(h instanceof SimulatedHypervisor);
      assertEquals("h1", ((SimulatedHypervisor) h).hostId());
      assertEquals(new Resources(4, 2048, 50, 100), h.inventory().capacity());
      assertEquals(List.of("simulated", "process"), h.inventory().runtimes());
    }
  }

  @Test
  void defaultsASimulatedHostLikeTheRuntimeDid() {
    try (HypervisorAdapter h = Adapters.create("simulated", "h1", tmp, Map.of())) {
      assertEquals(List.of("simulated", "qemu", "process"), h.inventory().runtimes());
      assertEquals(new Resources(8, 16384, 500, 1000), h.inventory().capacity());
    }
  }

  @Test
  void refusesAnUnknownKindInOneLine() {
    var e = assertThrows(IllegalArgumentException.class, () -> Adapters.create("xen", "h", tmp, Map.of()));
    assertEquals("unknown hypervisor kind 'xen'; use one of simulated, qemu, libvirt, process", e.getMessage());
  }

  @Test
  void namesTheMissingBinaryAndItsPackage() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Adapters.create("qemu", "h", tmp, Map.of("qemuBinary", "/nonexistent/qemu-system-x86_64")));
    assertEquals("/nonexistent/qemu-system-x86_64 not found: install qemu-system-x86", e.getMessage());
    var v = assertThrows(IllegalArgumentException.class,
        () -> Adapters.create("libvirt", "h", tmp, Map.of("virshBinary", "no-such-virsh-binary")));
    assertEquals("no-such-virsh-binary not found: install libvirt-clients", v.getMessage());
  }

  @Test
  void refusesAMalformedOption() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Adapters.create("simulated", "h", tmp, Map.of("cpu", "many")));
    assertEquals("option cpu must be a whole number, not 'many'", e.getMessage());
  }

  @Test
  void statisticsKeepTheirOldShape() {
    VmStatistics s = new VmStatistics(1.5, 2, 3, 4);
    assertEquals(Map.of(), s.appActivity());
    assertEquals(new VmStatistics(0, 0, 0, 0, Map.of()), VmStatistics.NONE);
  }
}
