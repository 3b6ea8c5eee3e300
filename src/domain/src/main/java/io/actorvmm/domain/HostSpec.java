package io.actorvmm.domain;

import java.util.ArrayList;
import java.util.List;

/** What a physical machine declares when it registers. */
public record HostSpec(String hostId, Resources capacity, List<String> runtimes, String site,
                       int securityLevel, CostRates costRates, Fencing fencing) {

  /** The site of hosts that name none; every other site counts as remote. */
  public static final String LOCAL_SITE = "local";

  /** Copies the runtime list so the record stays immutable. */
  public HostSpec {
    runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
    site = site == null || site.isBlank() ? LOCAL_SITE : site;
    costRates = costRates == null ? CostRates.FREE : costRates;
    fencing = fencing == null ? Fencing.NONE : fencing;
  }

  /** A host that declares no fencing (membership alone). */
  public HostSpec(String hostId, Resources capacity, List<String> runtimes, String site, int securityLevel,
                  CostRates costRates) {
    this(hostId, capacity, runtimes, site, securityLevel, costRates, Fencing.NONE);
  }

  /** A copy that declares this fencing. */
  public HostSpec withFencing(Fencing f) {
    return new HostSpec(hostId, capacity, runtimes, site, securityLevel, costRates, f);
  }

  /** True when the host is on a remote site. */
  public boolean remote() {
    return !LOCAL_SITE.equals(site);
  }

  /** Every problem with this spec as one-line messages; empty when it is valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (!Ids.valid(hostId)) out.add(Ids.problem("host id", hostId));
    if (capacity == null) {
      out.add("capacity is missing");
    } else {
      String neg = capacity.firstNegative();
      if (neg != null) out.add("capacity " + neg + " must not be negative");
      else if (capacity.cpuCores() == 0 || capacity.memoryMiB() == 0) out.add("capacity needs cpu and memory above zero");
    }
    if (runtimes.isEmpty()) out.add("a host offers at least one runtime type");
    if (securityLevel < 0) out.add("security level must not be negative");
    if (costRates.perCpuSecond() < 0 || costRates.perGiBStored() < 0 || costRates.perGiBTransferred() < 0) {
      out.add("cost rates must not be negative");
    }
    if (fencing.problem() != null) out.add(fencing.problem());
    return out;
  }
}
