package io.actorvmm.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PlacementPolicyTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "pack              | pack              | pack:1.0",
      "spread            | spread            | spread:1.0",
      " COST             | cost              | cost:1.0",
      "pack:1,cost:2     | pack:1,cost:2     | pack:1.0 cost:2.0",
      "spread:0.5, cost  | spread:0.5,cost:1 | spread:0.5 cost:1.0",
      "cost:3            | cost:3            | cost:3.0",
  })
  void readsPolicies(String text, String name, String scorers) {
    PlacementPolicy p = PlacementPolicy.parse(text);
    assertEquals(name, p.name());
    assertEquals(scorers, String.join(" ", p.scorers().stream().map(w -> w.scorer().name() + ":" + w.weight()).toList()));
    assertNull(PlacementPolicy.problem(text));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "fast        | placement policy 'fast': unknown scorer fast; use pack, spread, cost or a weighted sum like pack:1,cost:2",
      "pack:x      | placement policy 'pack:x': weight of pack is not a number; use pack, spread, cost or a weighted sum like pack:1,cost:2",
      "pack:0      | placement policy 'pack:0': weight of pack must be above zero; use pack, spread, cost or a weighted sum like pack:1,cost:2",
      "pack:-1     | placement policy 'pack:-1': weight of pack must be above zero; use pack, spread, cost or a weighted sum like pack:1,cost:2",
      "pack,,cost  | placement policy 'pack,,cost': a scorer name is missing; use pack, spread, cost or a weighted sum like pack:1,cost:2",
      "pack,pack:2 | placement policy 'pack,pack:2': pack is listed more than once; use pack, spread, cost or a weighted sum like pack:1,cost:2",
  })
  void refusesBadTextInOneLine(String text, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlacementPolicy.parse(text));
    assertEquals(message, e.getMessage());
    assertEquals(message, PlacementPolicy.problem(text));
  }

  @Test
  void blankTextGivesTheDefault() {
    assertEquals(PlacementPolicy.DEFAULT, PlacementPolicy.parse(null));
    assertEquals(PlacementPolicy.SPREAD, PlacementPolicy.parse("  ", PlacementPolicy.SPREAD));
    assertEquals("pack:2,spread:1", PlacementPolicy.of(List.of(new WeightedScorer(new PackScorer(), 2),
        new WeightedScorer(new SpreadScorer(), 1))).name());
  }
}
