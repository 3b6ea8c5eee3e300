package io.actorvmm.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteFilterTest {
  private final SiteFilter filter = new SiteFilter();

  @ParameterizedTest(name = "host site {0}, vm site {1} relocatable {2} local-only {3} -> {4}")
  @CsvSource(nullValues = "null", delimiter = '|', value = {
      "local | null  | true  | false | null  | null",
      "east  | null  | true  | false | null  | null",
      "east  | west  | true  | false | null  | null",
      "east  | east  | false | false | null  | null",
      "west  | east  | false | false | is on site west, the VM stays on east | on another site than east",
      "local | east  | false | false | is on site local, the VM stays on east | on another site than east",
      "null  | local | false | false | null  | null",
      "east  | null  | false | false | null  | null",
      "east  | null  | true  | true  | is on remote site east, the VM takes local sites only | on a remote site",
      "local | null  | true  | true  | null  | null",
      "east  | east  | false | true  | is on remote site east, the VM takes local sites only | on a remote site",
  })
  void keepsVmsOnTheirSite(String hostSite, String vmSite, boolean relocatable, boolean localOnly, String reason,
                           String shortReason) {
    HostCandidate h = new HostCandidate(new HostSpec("h1", new Resources(8, 8192, 100, 1000), List.of("qemu"),
        hostSite, 1, CostRates.FREE), HostStatus.UP, Resources.ZERO, Map.of(), 0);
    VmSpec vm = new VmSpec(1, 512, 1, 1, "qemu", "img", relocatable, 0).withSite(vmSite, localOnly);
    PlacementRequest r = Fixtures.request(vm);
    assertEquals(reason, filter.reject(r, h));
    assertEquals(shortReason, filter.shortReason(r, h));
    PlacementContext c = PlacementContext.of(r, List.of(h));
    assertEquals(reason == null, filter.passes(c, h));
    assertEquals(shortReason, filter.shortReason(c, h));
  }
}
