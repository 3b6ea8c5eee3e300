package io.actorvmm.domain.placement;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import java.util.HashMap;
import java.util.Map;

/**
 * The host views of the last decision as plain arrays, one slot per host in the caller's order, so
 * the built-in rules scan memory in sequence instead of chasing each host's objects.
 *
 * <p>An engine keeps one and brings it up to date before each decision: a slot is read again only
 * when the caller passes a different host object there (host views are immutable records, so the same
 * object means the same data). A scheduler that changes one host between decisions pays for one
 * host, not for the whole cluster.
 */
final class HostColumns {
  /** Status codes. */
  static final byte UP = 0;
  static final byte DOWN = 1;
  static final byte MAINTENANCE = 2;
  static final byte UNKNOWN = 3;
  /** The runtime bit of hosts offering a runtime beyond the first 63 seen; such requests check the host's list. */
  static final long MORE_RUNTIMES = 1L << 63;

  private HostCandidate[] seen = new HostCandidate[0];
  private final Map<String, Integer> runtimeIds = new HashMap<>();
  private final Map<String, Integer> siteIds = new HashMap<>();

  byte[] status = new byte[0];
  int[] security = new int[0];
  long[] runtimes = new long[0];
  int[] site = new int[0];
  boolean[] remote = new boolean[0];
  int[] capCpu = new int[0];
  int[] usedCpu = new int[0];
  long[] capMemory = new long[0];
  long[] usedMemory = new long[0];
  double[] cpuScale = new double[0];
  double[] memoryScale = new double[0];
  long[] freeStorage = new long[0];
  long[] freeNetwork = new long[0];
  long[] appSummary = new long[0];
  AppCounts[] apps = new AppCounts[0];
  double[] perCpuSecond = new double[0];
  double[] perGiBStored = new double[0];
  double[] perGiBTransferred = new double[0];

  /** Brings every slot up to date with {@code hosts}. */
  void sync(HostCandidate[] hosts) {
    if (hosts.length != seen.length) resize(hosts.length);
    for (int i = 0; i < hosts.length; i++) {
      if (seen[i] != hosts[i]) {
        read(i, hosts[i]);
        seen[i] = hosts[i];
      }
    }
  }

  /** The bit of {@code runtime}: 0 when no host offers it, {@link #MORE_RUNTIMES} when past the first 63. */
  long runtimeBit(String runtime) {
    Integer id = runtime == null ? null : runtimeIds.get(runtime);
    if (id == null) return 0;
    return id < 63 ? 1L << id : MORE_RUNTIMES;
  }

  /** The id of {@code site}, -1 when no host is on it. */
  int siteId(String s) {
    Integer id = s == null ? null : siteIds.get(s);
    return id == null ? -1 : id;
  }

  private void read(int i, HostCandidate h) {
    HostSpec spec = h.spec();
    HostStatus st = h.status();
    status[i] = st == HostStatus.UP ? UP : st == HostStatus.DOWN ? DOWN : st == HostStatus.MAINTENANCE ? MAINTENANCE : UNKNOWN;
    security[i] = spec.securityLevel();
    long mask = 0;
    for (String rt : spec.runtimes()) {
      if (rt == null) continue;
      int id = runtimeIds.computeIfAbsent(rt, k -> runtimeIds.size());
      mask |= id < 63 ? 1L << id : MORE_RUNTIMES;
    }
    runtimes[i] = mask;
    site[i] = siteIds.computeIfAbsent(spec.site(), k -> siteIds.size());
    remote[i] = spec.remote();
    Resources cap = spec.capacity() == null ? Resources.ZERO : spec.capacity();
    Resources used = h.used();
    capCpu[i] = cap.cpuCores();
    usedCpu[i] = used.cpuCores();
    capMemory[i] = cap.memoryMiB();
    usedMemory[i] = used.memoryMiB();
    cpuScale[i] = PackScorer.scale(cap.cpuCores());
    memoryScale[i] = PackScorer.scale(cap.memoryMiB());
    freeStorage[i] = cap.storageGiB() - used.storageGiB();
    freeNetwork[i] = cap.networkMbit() - used.networkMbit();
    apps[i] = (AppCounts) h.apps();
    appSummary[i] = apps[i].summary();
    CostRates rates = spec.costRates();
    perCpuSecond[i] = rates.perCpuSecond();
    perGiBStored[i] = rates.perGiBStored();
    perGiBTransferred[i] = rates.perGiBTransferred();
  }

  private void resize(int n) {
    seen = new HostCandidate[n];
    status = new byte[n];
    security = new int[n];
    runtimes = new long[n];
    site = new int[n];
    remote = new boolean[n];
    capCpu = new int[n];
    usedCpu = new int[n];
    capMemory = new long[n];
    usedMemory = new long[n];
    cpuScale = new double[n];
    memoryScale = new double[n];
    freeStorage = new long[n];
    freeNetwork = new long[n];
    appSummary = new long[n];
    apps = new AppCounts[n];
    perCpuSecond = new double[n];
    perGiBStored = new double[n];
    perGiBTransferred = new double[n];
  }
}
