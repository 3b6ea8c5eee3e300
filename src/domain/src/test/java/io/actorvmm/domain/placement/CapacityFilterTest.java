package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityFilterTest {
  private final CapacityFilter filter = new CapacityFilter();

  // host capacity 8 cores, 8192 MiB, 100 GiB, 1000 Mbit; columns: used, VM demand, reason, short reason
  @ParameterizedTest(name = "used {0}/{1}/{2}/{3} vm {4}/{5}/{6}/{7} -> {8}")
  @CsvSource(nullValues = "null", value = {
      "0, 0,    0,   0,    1, 512,  10,  100,  null, null",
      "4, 4096, 50,  500,  4, 4096, 50,  500,  null, null",  // exactly full still fits
      "0, 7168, 0,   0,    1, 4096, 10,  100,  lacked memory (needs 4096 MiB; 1024 free), lacked memory",
      "6, 0,    0,   0,    4, 512,  10,  100,  lacked cpu (needs 4 cores; 2 free), lacked cpu",
      "0, 0,    95,  0,    1, 512,  10,  100,  lacked storage (needs 10 GiB; 5 free), lacked storage",
      "0, 0,    0,   950,  1, 512,  10,  100,  lacked network (needs 100 Mbit; 50 free), lacked network",
      // several lacking: the first in cpu, memory, storage, network order is named
      "8, 8192, 100, 1000, 1, 512,  10,  100,  lacked cpu (needs 1 cores; 0 free), lacked cpu",
      "0, 8192, 100, 1000, 1, 512,  10,  100,  lacked memory (needs 512 MiB; 0 free), lacked memory",
      // over-committed host: free is shown as 0, never negative
      "0, 9000, 0,   0,    1, 512,  10,  100,  lacked memory (needs 512 MiB; 0 free), lacked memory",
  })
  void demandMustFitWhatIsFree(int uCpu, long uMem, long uDisk, long uNet, int cpu, long mem, long disk, long net,
                               String reason, String shortReason) {
    HostCandidate h = host("h1", new Resources(8, 8192, 100, 1000), new Resources(uCpu, uMem, uDisk, uNet));
    PlacementRequest r = request(vm(cpu, mem, disk, net, "qemu", 0));
    // CSV cannot hold the comma of the real text, so rows write ';' for it
    assertEquals(reason == null ? null : reason.replace(';', ','), filter.reject(r, h));
    assertEquals(shortReason, filter.shortReason(r, h));
  }
}
