package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.adapters.simulated.SimulatedHypervisor;
import io.actorvmm.api.AvmNode;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.service.AppRequirement;
import io.actorvmm.domain.service.AutoscaleRule;
import io.actorvmm.domain.service.ServiceRules;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.runtime.service.ServiceEntity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A service's autoscaling rule on a real node: the hosts' virtual layers report the web replicas'
 * activity; while it stays above the upper limit for the window a replica is added (on a host of its
 * own, anti-affinity kept) up to the maximum, and while it stays below the lower limit one is
 * removed down to the minimum. Every step is an event with its reason in the audit log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoscaleTest {

  private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");
  private Path dir;
  private AvmNode node;
  private Api api;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("autoscale");
    node = TestNodes.startAndAwaitHosts(TestNodes.single(dir, HOSTS.toArray(String[]::new)));
    api = new Api(node.apiPort());
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(node);
    TestNodes.deleteQuietly(dir);
  }

  private void activity(double percent) {
    for (String h : HOSTS) {
      SimulatedHypervisor sim = (SimulatedHypervisor) node.runtime().adapter(h);
      for (int i = 1; i <= 4; i++) sim.setActivity("web-" + i, percent);
    }
  }

  private int replicas() {
    return api.get("/api/apps/web").ok().path("replicas").asInt();
  }

  private int running() {
    return api.get("/api/apps/web").ok().path("runningReplicas").asInt();
  }

  @Test
  void scalesOutUpToTheMaximumOnDistinctHostsAndBackInToTheMinimum() throws Exception {
    VmSpec vm = new VmSpec(1, 512, 5, 10, "simulated", "web.img", true, 0);
    ServiceRules rules = new ServiceRules(List.of("web"))
        .withAutoscale(new AutoscaleRule("web", 70, 20, Duration.ofSeconds(2), 1, 3));
    ServiceSpec spec = new ServiceSpec("shop", List.of(new AppRequirement("web", "web-frontend", 1, vm, List.of())),
        rules);
    var service = ClusterSharding.get(node.runtime().system()).entityRefFor(ServiceEntity.ENTITY_KEY, "shop");
    service.<ServiceEntity.ServiceView>askWithStatus(r -> new ServiceEntity.Define(spec, "it", r),
        Duration.ofSeconds(10)).toCompletableFuture().get();
    assertEquals(200, api.post("/api/services/shop/start", null).status());
    Await.until("web-1 running", Duration.ofSeconds(30), () -> running() == 1);

    // busy: one more replica after each window of high activity, never beyond the maximum
    activity(90);
    Await.until("3 web replicas running", Duration.ofSeconds(40), () -> replicas() == 3 && running() == 3);
    Thread.sleep(4_000);
    assertEquals(3, replicas(), "the maximum holds");
    Set<String> hosts = new HashSet<>();
    for (JsonNode v : Api.list(api.get("/api/apps/web").ok().path("vms"))) {
      if (v.path("phase").asText().equals("running")) hosts.add(v.path("hostId").asText());
    }
    assertEquals(3, hosts.size(), "replicas on distinct hosts: " + hosts);

    // quiet: back down to the minimum
    activity(5);
    Await.until("back to 1 web replica", Duration.ofSeconds(40), () -> replicas() == 1 && running() == 1);
    Thread.sleep(4_000);
    assertEquals(1, replicas(), "the minimum holds");

    String audit = api.get("/api/audit?entity=service:shop&limit=500").body();
    int out = audit.split("ServiceAppScaled", -1).length - 1;
    assertEquals(4, out, "two steps out and two back in, each recorded: " + audit);
    assertTrue(audit.contains("above") && audit.contains("below"), "steps record their reason: " + audit);
    String appAudit = api.get("/api/audit?entity=app:web&limit=500").body();
    assertTrue(appAudit.contains("AppScaled"), appAudit);
  }
}
