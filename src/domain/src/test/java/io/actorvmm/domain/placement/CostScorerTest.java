package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CostScorerTest {

  private static HostCandidate priced(String id, CostRates rates) {
    return new HostCandidate(new HostSpec(id, new Resources(8, 8192, 100, 1000), List.of("qemu"), "local", 1, rates),
        HostStatus.UP, Resources.ZERO, Map.of(), 0);
  }

  // vm: 2 cores, 10 GiB disk; cost/h = 2 x share x 3600 x cpu + 10 x stored + transfer x transferred
  @ParameterizedTest(name = "cpu {0} stored {1} transferred {2}, share {3}, traffic {4} -> cost {5}, score {6}")
  @CsvSource({
      "0,      0,   0,   1.0, 0,  0.0,  100.0",
      "0.0001, 0,   0,   1.0, 0,  0.72, 58.139534883720934",
      "0.0001, 0,   0,   0.5, 0,  0.36, 73.52941176470588",
      "0,      0.1, 0,   1.0, 0,  1.0,  50.0",
      "0,      0,   0.5, 1.0, 6,  3.0,  25.0",
      "0,      0,   0.5, 1.0, 0,  0.0,  100.0",
  })
  void scoresTheExpectedCostPerHour(double cpu, double stored, double transferred, double share, double traffic,
                                    double cost, double score) {
    PlacementRequest r = request(vm(2, 1024, 10, 100, "qemu", 0)).withExpectedUse(new ExpectedUse(share, traffic));
    HostCandidate h = priced("h1", new CostRates(cpu, stored, transferred));
    assertEquals(cost, CostScorer.costPerHour(r, h.spec().costRates()), 1e-9);
    assertEquals(score, new CostScorer().score(r, h), 1e-9);
  }

  @Test
  void theCheaperHostAlwaysScoresHigher() {
    PlacementRequest r = request(vm(2, 1024));
    CostScorer scorer = new CostScorer(0.5);
    double previous = Double.MAX_VALUE;
    for (double rate = 0; rate < 0.01; rate += 0.0005) {
      double s = scorer.score(r, priced("h", new CostRates(rate, 0, 0)));
      assertEquals(true, s < previous && s >= 0 && s <= 100, "rate " + rate);
      previous = s;
    }
    assertThrows(IllegalArgumentException.class, () -> new CostScorer(0));
  }
}
