package io.actorvmm.adapters.libvirt;

import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.contract.AdapterContract;
import io.actorvmm.domain.VmSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The adapter contract against libvirt's test driver ({@code test:///default}). */
class LibvirtContractTest extends AdapterContract {

  @Override
  protected String kind() {
    return "libvirt";
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("uri", "test:///default", "shutdownGraceMillis", "2000");
  }

  @Override
  protected List<String> requiredBinaries() {
    return List.of("virsh");
  }

  @Override
  protected Set<Capability> expectedCapabilities() {
    return EnumSet.of(Capability.STATISTICS);
  }

  @Override
  protected VmSpec spec(String vmId) {
    return new VmSpec(2, 128, 1, 10, "libvirt", null, true, 0);
  }

  @org.junit.jupiter.api.Test
  void namesTheRunningDomainsItDidNotDefineAsUnmanaged() {
    VmSpec s = spec("vm-own");
    a.define("vm-own", s);
    await(a.copyImage("vm-own", s, p -> {}));
    await(a.start("vm-own"));
    // the test driver starts with one running domain of its own, named "test"
    org.junit.jupiter.api.Assertions.assertEquals(List.of("test"), a.unmanaged());
    org.junit.jupiter.api.Assertions.assertEquals(List.of("vm-own"),
        a.list().stream().map(io.actorvmm.adapters.ObservedVm::vmId).toList(), "only its own domains are listed");
    await(a.stop("vm-own"));
  }

  @Override
  protected void crashBehindTheAdaptersBack(HypervisorAdapter adapter, String vmId) {
    ((LibvirtAdapter) adapter).virsh("destroy " + vmId);
  }
}
