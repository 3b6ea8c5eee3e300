package io.actorvmm.domain.placement;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What every filter and scorer of one decision shares: the request, its demand as plain numbers, its
 * app rules as sorted arrays, and the cluster-wide facts a single host cannot tell.
 *
 * <p>The engine builds one context per decision, before it looks at any host, so the hot loop over
 * hosts neither allocates nor repeats per-request work. The one cluster-wide fact today is
 * {@link #affinityRunning()}: whether any of the given hosts already runs an application the request
 * must join (the affinity filter only binds when one does). It is found by scanning the hosts once and
 * stopping at the first that runs one.
 */
public final class PlacementContext {
  private final PlacementRequest request;
  private final int cpu;
  private final long memory;
  private final long storage;
  private final long network;
  private final String[] distinctApps;
  private final String[] affinityApps;
  private final boolean affinityRunning;
  private final HostCandidate[] hosts;
  // short reasons that depend on the request only, built once per decision rather than once per rejected host
  private final String[] texts = new String[Text.values().length];

  /** The request-only texts the built-in filters reuse across hosts. */
  enum Text { RUNTIME, SECURITY, SITE, DISTINCT, MAX_PER_HOST, AFFINITY }

  private PlacementContext(PlacementRequest request, boolean affinityRunning, HostCandidate[] hosts) {
    this.hosts = hosts;
    this.request = request;
    this.cpu = request.spec().cpuCores();
    this.memory = request.spec().memoryMiB();
    this.storage = request.spec().diskGiB();
    this.network = request.spec().networkMbit();
    this.distinctApps = sorted(request.distinctFromApps().toArray(new String[0]));
    this.affinityApps = sorted(request.affinityApps().toArray(new String[0]));
    // with no affinity apps nothing can bind, whatever the caller claims
    this.affinityRunning = affinityRunning && affinityApps.length > 0;
  }

  /** The context of {@code request} among {@code hosts}: the whole cluster the decision looks at. */
  public static PlacementContext of(PlacementRequest request, List<HostCandidate> hosts) {
    return of(request, hosts.toArray(new HostCandidate[0]));
  }

  /** The context of {@code request} among {@code hosts}. */
  static PlacementContext of(PlacementRequest request, HostCandidate[] hosts) {
    boolean running = false;
    if (!request.affinityApps().isEmpty()) {
      String[] apps = request.affinityApps().toArray(new String[0]);
      for (int i = 0; i < hosts.length && !running; i++) running = runsAny(hosts[i], apps);
    }
    return new PlacementContext(request, running, hosts);
  }

  /** The context with the affinity fact read from host columns already in step with {@code hosts}: a scan of one array. */
  static PlacementContext of(PlacementRequest request, HostCandidate[] hosts, HostColumns cols) {
    boolean running = false;
    if (!request.affinityApps().isEmpty()) {
      String[] apps = request.affinityApps().toArray(new String[0]);
      long mask = 0;
      for (String a : apps) mask |= AppCounts.bitOf(a);
      long[] summary = cols.appSummary;
      for (int i = 0; i < hosts.length && !running; i++) {
        if ((summary[i] & mask) != 0) running = runsAny(hosts[i], apps);
      }
    }
    return new PlacementContext(request, running, hosts);
  }

  /** A context with the cluster-wide affinity fact given directly, for tests and callers that know it. */
  public static PlacementContext of(PlacementRequest request, boolean affinityRunning) {
    return new PlacementContext(request, affinityRunning, new HostCandidate[0]);
  }

  /** The request being placed. */
  public PlacementRequest request() {
    return request;
  }

  /** True when some host runs an application of the request's affinity set. */
  public boolean affinityRunning() {
    return affinityRunning;
  }

  /** The host at {@code i} of the decision's hosts. */
  HostCandidate hostAt(int i) {
    return hosts[i];
  }

  /** Cores the VM needs. */
  int cpu() {
    return cpu;
  }

  /** Memory the VM needs, MiB. */
  long memory() {
    return memory;
  }

  /** Storage the VM needs, GiB. */
  long storage() {
    return storage;
  }

  /** Network the VM needs, Mbit. */
  long network() {
    return network;
  }

  /** The anti-affinity apps, sorted, so the first clash found is the smallest name. */
  String[] distinctApps() {
    return distinctApps;
  }

  /** The affinity apps, sorted. */
  String[] affinityApps() {
    return affinityApps;
  }

  /** The text for {@code slot}, made from the request on first use; racing threads at worst make equal strings twice. */
  String text(Text slot, Function<PlacementRequest, String> make) {
    String t = texts[slot.ordinal()];
    if (t == null) {
      t = make.apply(request);
      texts[slot.ordinal()] = t;
    }
    return t;
  }

  /** True when {@code h} holds a VM of one of {@code apps}. */
  static boolean runsAny(HostCandidate h, String[] apps) {
    for (String app : apps) {
      if (h.replicas(app) > 0) return true;
    }
    return false;
  }

  private static String[] sorted(String[] a) {
    Arrays.sort(a);
    return a;
  }
}
