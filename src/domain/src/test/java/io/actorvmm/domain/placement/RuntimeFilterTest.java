package io.actorvmm.domain.placement;

import static io.actorvmm.domain.placement.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeFilterTest {
  private final RuntimeFilter filter = new RuntimeFilter();

  @ParameterizedTest(name = "host [{0}] vm {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "qemu,       qemu, null",
      "lxc qemu,   qemu, null",
      "lxc,        qemu, does not offer runtime qemu",
      "'',         qemu, does not offer runtime qemu",
      "QEMU,       qemu, does not offer runtime qemu",
      "qemu,       null, does not offer runtime null",
  })
  void hostMustOfferTheVmsRuntime(String hostRuntimes, String vmRuntime, String reason) {
    List<String> runtimes = hostRuntimes.isBlank() ? List.of() : Arrays.asList(hostRuntimes.split(" "));
    HostCandidate h = new HostCandidate(spec("h1", new Resources(8, 8192, 100, 1000), runtimes, 1),
        HostStatus.UP, Resources.ZERO, Map.of(), 0);
    PlacementRequest r = request(vm(1, 512, 1, 1, vmRuntime, 0));
    assertEquals(reason, filter.reject(r, h));
    assertEquals(reason, filter.shortReason(r, h));
  }
}
