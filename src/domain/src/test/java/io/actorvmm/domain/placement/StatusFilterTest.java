package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusFilterTest {
  private final StatusFilter filter = new StatusFilter();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {
      "UP,          null,                   null",
      "DOWN,        host is down,           is down",
      "MAINTENANCE, host is in maintenance, is in maintenance",
      "null,        host status is unknown, status is unknown",
  })
  void onlyUpHostsPass(HostStatus status, String reason, String shortReason) {
    HostCandidate h = new HostCandidate(host("h1").spec(), status, Resources.ZERO, Map.of(), 0);
    PlacementRequest r = request(vm(1, 512));
    assertEquals(reason, filter.reject(r, h));
    assertEquals(shortReason, filter.shortReason(r, h));
  }
}
