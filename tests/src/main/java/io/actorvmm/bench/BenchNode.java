package io.actorvmm.bench;

import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.placement.HostVerdict;
import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.scheduler.Scheduler;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** A node started in-process for a benchmark, and the client-side helpers the benchmarks share. */
final class BenchNode implements AutoCloseable {
  /** The spec of every benchmark VM: small, on the simulated runtime every simulated host offers. */
  static final VmSpec SPEC = new VmSpec(1, 512, 10, 10, "simulated", "bench-image", true, 0);
  static final Duration ASK = Duration.ofSeconds(60);

  final AvmRuntime runtime;
  final NodeSettings settings;
  final ActorSystem<Void> system;
  final ClusterSharding sharding;

  private BenchNode(AvmRuntime runtime) {
    this.runtime = runtime;
    this.settings = runtime.settings();
    this.system = runtime.system();
    this.sharding = ClusterSharding.get(system);
  }

  /** Node settings on {@code db} with free ports. */
  static NodeSettings settings(BenchDb db) {
    return db.settings(freePort(), freePort());
  }

  /** A host capacity holding {@code vms} benchmark VMs. */
  static Resources capacityFor(long vms) {
    return new Resources((int) Math.min(Integer.MAX_VALUE, vms * SPEC.cpuCores()), vms * SPEC.memoryMiB(),
        vms * SPEC.diskGiB(), vms * SPEC.networkMbit());
  }

  /** Starts the node and waits until the scheduler sees every one of its hosts Up. */
  static BenchNode start(NodeSettings settings) {
    return startWithRuntime(settings, "simulated");
  }

  /** Starts the node and waits until the scheduler sees every one of its hosts Up, offering {@code runtime}. */
  static BenchNode startWithRuntime(NodeSettings settings, String runtime) {
    BenchNode node = new BenchNode(AvmRuntime.start(settings));
    try {
      node.awaitHosts(settings.isHost() ? Set.copyOf(settings.effectiveHostIds()) : Set.of(), runtime,
          Duration.ofSeconds(120));
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /**
   * Asks the scheduler to place a VM that fits nowhere: side-effect free, and the decision carries a
   * verdict for every host in the scheduler's view. Done once every host is there and rejected only
   * for capacity (so it is Up, offers the runtime and has the security level).
   */
  private void awaitHosts(Set<String> hosts, String offered, Duration timeout) {
    if (hosts.isEmpty()) {
      // no hosts: wait for the cluster to be up so sharding works
      waitUntil(timeout, () -> org.apache.pekko.cluster.typed.Cluster.get(system).selfMember().status()
          == org.apache.pekko.cluster.MemberStatus.up());
      return;
    }
    VmSpec huge = new VmSpec(Integer.MAX_VALUE / 2, Long.MAX_VALUE / 4, 0, 0, offered, "probe", true, 0);
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        Scheduler.PlaceResult r = AskPattern.<Scheduler.Command, Scheduler.PlaceResult>ask(runtime.scheduler(),
                reply -> new Scheduler.Place("bench-probe", huge, null, Set.of(), "bench", reply),
                Duration.ofSeconds(5), system.scheduler())
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Set<String> ready = new HashSet<>();
        for (HostVerdict v : r.decision().verdicts()) {
          if ("capacity".equals(v.filter())) ready.add(v.hostId());
        }
        if (ready.containsAll(hosts)) return;
        last = r.decision().summary();
      } catch (Exception e) {
        last = e.toString();
      }
      sleep(200);
    }
    throw new IllegalStateException("hosts not ready within " + timeout + ": " + last);
  }

  /** The outcome of driving many VMs through commands. */
  record Drive(int ok, int failed, String firstError, long nanos) {}

  /**
   * Sends {@code Create} (and {@code Start} when {@code start}) to VM {@code prefix + i} for i in
   * [from, to), with at most {@code concurrency} VMs in flight; returns when every answer is in.
   */
  Drive drive(String prefix, int from, int to, boolean start, int concurrency) throws InterruptedException {
    return each(prefix, from, to, concurrency, ref -> {
      CompletionStage<VmState> done = ref.<VmState>askWithStatus(
          r -> new VmEntity.Create(SPEC, null, Set.of(), "bench", r), ASK);
      // continuations run on the node's dispatcher: the futures Pekko's javadsl returns run even plain
      // thenX callbacks asynchronously, on ForkJoinPool.commonPool
      return start ? done.thenComposeAsync(s -> ref.<VmState>askWithStatus(r -> new VmEntity.Start("bench", r), ASK),
          system.executionContext()) : done;
    });
  }

  /** Sends {@code Start} to VM {@code prefix + i} for i in [from, to) with at most {@code concurrency} in flight. */
  Drive startOnly(String prefix, int from, int to, int concurrency) throws InterruptedException {
    return each(prefix, from, to, concurrency,
        ref -> ref.<VmState>askWithStatus(r -> new VmEntity.Start("bench", r), ASK));
  }

  /** Runs {@code command} on VM {@code prefix + i} for i in [from, to), at most {@code concurrency} at once. */
  private Drive each(String prefix, int from, int to, int concurrency,
                     java.util.function.Function<org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<VmEntity.Command>,
                         CompletionStage<VmState>> command) throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    long t0 = System.nanoTime();
    for (int i = from; i < to; i++) {
      inFlight.acquire();
      command.apply(sharding.entityRefFor(VmEntity.ENTITY_KEY, prefix + i)).whenCompleteAsync((s, err) -> {
        if (err == null) {
          ok.incrementAndGet();
        } else {
          failed.incrementAndGet();
          firstError.compareAndSet(null, err.toString());
        }
        inFlight.release();
      }, system.executionContext());
    }
    inFlight.acquire(concurrency);
    inFlight.release(concurrency);
    return new Drive(ok.get(), failed.get(), firstError.get(), System.nanoTime() - t0);
  }

  /** How many VMs with ids starting with {@code prefix} the node's inventory read side shows Running. */
  long runningInInventory(String prefix) {
    long n = 0;
    for (VmState v : runtime.journal().inventory().vms()) {
      if (v.phase() == VmPhase.RUNNING && v.vmId().startsWith(prefix)) n++;
    }
    return n;
  }

  /** The number of VM entities alive in this node's shard region (sharding's own region state). */
  long aliveVmEntities() throws Exception {
    var state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            ShardRegion.CurrentShardRegionState>ask(sharding.shardState(),
            reply -> new GetShardRegionState(VmEntity.ENTITY_KEY, reply), Duration.ofSeconds(30), system.scheduler())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    long n = 0;
    for (ShardRegion.ShardState s : state.getShards()) n += s.getEntityIds().size();
    return n;
  }

  /** Polls {@code condition} every 20 ms; false when {@code timeout} passed first. */
  static boolean waitUntil(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return true;
      sleep(20);
    }
    return condition.getAsBoolean();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Heap in use after full collections. */
  static long usedHeapAfterGc() {
    var mem = ManagementFactory.getMemoryMXBean();
    long prev = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      sleep(300);
      long used = mem.getHeapMemoryUsage().getUsed();
      if (Math.abs(prev - used) < 1 << 20) return used;
      prev = used;
    }
    return mem.getHeapMemoryUsage().getUsed();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String secs(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  static List<String> hostIds(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> "bench-host-" + i).toList();
  }

  @Override
  public void close() {
    runtime.stop(Duration.ofSeconds(30));
  }
}
