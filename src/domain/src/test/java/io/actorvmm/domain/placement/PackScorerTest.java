package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PackScorerTest {
  private final PackScorer scorer = new PackScorer();

  // columns: capacity cpu/mem, used cpu/mem, VM cpu/mem, expected score (average % of cpu and memory after placing)
  @ParameterizedTest(name = "cap {0}/{1} used {2}/{3} vm {4}/{5} -> {6}")
  @CsvSource({
      "8, 8192, 0, 0,    2, 2048, 25",
      "8, 8192, 6, 6144, 2, 2048, 100",
      "8, 8192, 4, 0,    0, 2048, 37.5",  // 50% cpu, 25% memory
      "4, 1024, 0, 0,    1, 1024, 62.5",  // 25% cpu, 100% memory
      "8, 8192, 8, 8192, 2, 2048, 100",   // already over capacity is capped at 100
      "0, 8192, 0, 0,    1, 4096, 75",    // no cpu at all counts as full
  })
  void scoresPercentUsedAfterPlacing(int capCpu, long capMem, int usedCpu, long usedMem, int cpu, long mem, double expected) {
    HostCandidate h = host("h1", new Resources(capCpu, capMem, 100, 1000), new Resources(usedCpu, usedMem, 0, 0));
    assertEquals(expected, scorer.score(request(vm(cpu, mem)), h), 1e-9);
  }

  @ParameterizedTest(name = "fuller host {0}/{1} beats emptier")
  @CsvSource({"1, 1024", "4, 0", "0, 4096"})
  void aFullerHostScoresHigher(int usedCpu, long usedMem) {
    PlacementRequest r = request(vm(1, 1024));
    HostCandidate empty = host("a");
    HostCandidate fuller = host("b", new Resources(8, 16384, 100, 1000), new Resources(usedCpu, usedMem, 0, 0));
    assertTrue(scorer.score(r, fuller) > scorer.score(r, empty));
  }
}
