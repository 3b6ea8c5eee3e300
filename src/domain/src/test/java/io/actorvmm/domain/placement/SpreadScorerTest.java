package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpreadScorerTest {
  private final SpreadScorer scorer = new SpreadScorer();

  @ParameterizedTest(name = "used {0} cores {1} MiB of 8/8192, vm 2/2048 -> {2}")
  @CsvSource({
      "0, 0,    75.0",
      "4, 4096, 25.0",
      "6, 6144, 0.0",
      "8, 8192, 0.0",
      "2, 0,    62.5",
  })
  void prefersTheLeastUsedHostAfterPlacing(int cpu, long mem, double expected) {
    HostCandidate h = host("h1", new Resources(8, 8192, 100, 1000), new Resources(cpu, mem, 0, 0));
    PlacementRequest r = request(vm(2, 2048));
    assertEquals(expected, scorer.score(r, h), 1e-9);
    assertEquals(expected, scorer.score(PlacementContext.of(r, false), h), 1e-9);
    assertEquals(100 - new PackScorer().score(r, h), scorer.score(r, h), 1e-9);
  }
}
