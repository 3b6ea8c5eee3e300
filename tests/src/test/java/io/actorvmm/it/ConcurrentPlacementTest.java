package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.api.AvmNode;
import io.actorvmm.domain.HostStatus;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Thousands of placements at once from three nodes of one cluster, more than the hosts can hold:
 * every host ends within its capacity, every placed VM holds exactly one reservation on the host it
 * names, exactly as many VMs are placed as fit, and the rest wait as Pending with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentPlacementTest {

  private static final int PER_HOST = 250;          // VMs of SPEC one host holds (by CPU and memory)
  private static final int HOSTS_PER_NODE = 2;
  private static final int VMS = 2_000;             // 3 nodes x 2 hosts x 250 = 1,500 fit, 500 cannot
  private static final VmSpec SPEC = new VmSpec(1, 512, 1, 1, "simulated", "img", true, 0);
  private static final Resources HOST = new Resources(PER_HOST, 512L * PER_HOST, 10_000, 10_000);

  private Path dir;
  private final List<AvmNode> nodes = new ArrayList<>();
  private final List<String> hostIds = new ArrayList<>();

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("concurrent");
    int seedPort = Ports.free();
    List<String> seeds = List.of("127.0.0.1:" + seedPort);
    for (int n = 0; n < 3; n++) {
      List<String> hosts = new ArrayList<>();
      for (int h = 1; h <= HOSTS_PER_NODE; h++) hosts.add("n" + n + "h" + h);
      hostIds.addAll(hosts);
      NodeSettings s = NodeSettings.local(n == 0 ? seedPort : Ports.free(), Ports.free(), dir)
          .withRoles(n == 0 ? List.of("seed", "host") : List.of("host"), seeds).withHosts(hosts).withCapacity(HOST);
      nodes.add(AvmNode.start(s));
    }
    TestNodes.awaitHostsUp(new Api(nodes.get(0).apiPort()), hostIds.toArray(String[]::new));
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(nodes.toArray(AvmNode[]::new));
    TestNodes.deleteQuietly(dir);
  }

  @Test
  void noHostIsEverOverCommitted() throws Exception {
    // every node creates and starts its third of the VMs through its own sharding, 64 at a time each
    AtomicInteger refused = new AtomicInteger();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int n = 0; n < nodes.size(); n++) {
      ClusterSharding sharding = ClusterSharding.get(nodes.get(n).runtime().system());
      Semaphore inFlight = new Semaphore(64);
      for (int i = n; i < VMS; i += nodes.size()) {
        String vmId = "vm-" + i;
        inFlight.acquire();
        var vm = sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId);
        CompletableFuture<Void> f = vm.<VmState>askWithStatus(r -> new VmEntity.Create(SPEC, null, Set.of(), "it", r),
                Duration.ofSeconds(30))
            .thenCompose(created -> vm.<VmState>askWithStatus(r -> new VmEntity.Start("it", r), Duration.ofSeconds(60)))
            .handle((placed, err) -> {
              if (err != null) refused.incrementAndGet();
              inFlight.release();
              return (Void) null;
            })
            .toCompletableFuture();
        all.add(f);
      }
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);

    ClusterSharding sharding = ClusterSharding.get(nodes.get(1).runtime().system());
    Map<String, String> reservedOn = new HashMap<>();
    int reservations = 0;
    for (String h : hostIds) {
      HostState s = sharding.entityRefFor(HostEntity.ENTITY_KEY, h)
          .<HostState>ask(HostEntity.Get::new, Duration.ofSeconds(10)).toCompletableFuture().get();
      assertEquals(HostStatus.UP, s.status());
      assertTrue(HOST.fits(s.used()), () -> h + " over-committed: " + s.used() + " of " + HOST);
      assertEquals(s.reservations().size() * 512L, s.used().memoryMiB(), "the running total matches " + h);
      for (String vm : s.reservations().keySet()) {
        String before = reservedOn.put(vm, h);
        assertTrue(before == null, vm + " reserved on both " + before + " and " + h);
      }
      reservations += s.reservations().size();
    }
    assertEquals(PER_HOST * hostIds.size(), reservations, "every host filled exactly to its capacity");

    int placed = 0;
    int pending = 0;
    for (int i = 0; i < VMS; i++) {
      String vmId = "vm-" + i;
      VmState v = sharding.entityRefFor(VmEntity.ENTITY_KEY, vmId)
          .<VmState>ask(VmEntity.Get::new, Duration.ofSeconds(10)).toCompletableFuture().get();
      if (v.phase() == VmPhase.PENDING) {
        pending++;
        assertTrue(v.reason().startsWith("no host fits: 6 hosts, 6 lacked"), v.reason());
        assertTrue(!reservedOn.containsKey(vmId), vmId + " is pending but holds a reservation");
      } else {
        placed++;
        assertNotNull(v.hostId(), vmId + " " + v.phase());
        assertEquals(reservedOn.get(vmId), v.hostId(), vmId + " runs where its reservation is");
      }
    }
    assertEquals(PER_HOST * hostIds.size(), placed);
    assertEquals(VMS - placed, pending);
    assertEquals(pending, refused.get(), "every refused start was answered with the refusal");
  }
}
