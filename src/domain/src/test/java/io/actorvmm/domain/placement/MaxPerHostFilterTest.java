package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxPerHostFilterTest {
  private final MaxPerHostFilter filter = new MaxPerHostFilter();

  @ParameterizedTest(name = "{0} web on host, app {1}, max {2} -> {3}")
  @CsvSource(nullValues = "null", delimiter = '|', value = {
      "0 | web  | 1 | null",
      "1 | web  | 0 | null",
      "5 | null | 1 | null",
      "1 | web  | 2 | null",
      "1 | web  | 1 | reached max per host of web (1 of 1 there)",
      "3 | web  | 2 | reached max per host of web (3 of 2 there)",
      "1 | db   | 1 | null",
  })
  void limitsVmsOfTheAppPerHost(int webOnHost, String app, int max, String reason) {
    HostCandidate h = new HostCandidate(host("h1").spec(), HostStatus.UP, Resources.ZERO, Map.of("web", webOnHost),
        webOnHost);
    PlacementRequest r = new PlacementRequest("vm-1", vm(1, 512), app, Set.of()).withMaxPerHost(max);
    assertEquals(reason, filter.reject(r, h));
    assertEquals(reason == null ? null : "reached max per host of " + app, filter.shortReason(r, h));
    PlacementContext c = PlacementContext.of(r, false);
    assertEquals(reason == null, filter.passes(c, h));
    assertEquals(filter.shortReason(r, h), filter.shortReason(c, h));
  }
}
