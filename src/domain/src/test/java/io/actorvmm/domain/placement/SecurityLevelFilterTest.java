package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecurityLevelFilterTest {
  private final SecurityLevelFilter filter = new SecurityLevelFilter();

  @ParameterizedTest(name = "host {0} vm {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "0, 0, null,                                 null",
      "2, 1, null,                                 null",
      "2, 2, null,                                 null",
      "1, 2, security level 1 is below security level 2, below security level 2",
      "0, 3, security level 0 is below security level 3, below security level 3",
  })
  void hostLevelMustBeAtLeastTheVms(int hostLevel, int vmLevel, String reason, String shortReason) {
    HostCandidate h = new HostCandidate(spec("h1", new Resources(8, 8192, 100, 1000), List.of("qemu"), hostLevel),
        HostStatus.UP, Resources.ZERO, Map.of(), 0);
    PlacementRequest r = request(vm(1, 512, 1, 1, "qemu", vmLevel));
    assertEquals(reason, filter.reject(r, h));
    assertEquals(shortReason, filter.shortReason(r, h));
  }
}
