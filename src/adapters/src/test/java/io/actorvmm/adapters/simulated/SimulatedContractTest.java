package io.actorvmm.adapters.simulated;

import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.contract.AdapterContract;
import io.actorvmm.domain.VmSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The adapter contract against the simulated host, with copy steps that take a little time. */
class SimulatedContractTest extends AdapterContract {

  @Override
  protected String kind() {
    return "simulated";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("copyMillis", "40", "progressSteps", "4", "bootMillis", "10", "downtimeMillis", "7");
  }

  @Override
  protected List<String> requiredBinaries() {
    return List.of();
  }

  @Override
  protected Set<Capability> expectedCapabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  protected VmSpec spec(String vmId) {
    return new VmSpec(1, 512, 2, 10, "simulated", "img", true, 0);
  }

  @Override
  protected void crashBehindTheAdaptersBack(HypervisorAdapter adapter, String vmId) {
    ((SimulatedHypervisor) adapter).crashVm(vmId);
  }
}
