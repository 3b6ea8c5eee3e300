package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.adapters.process.DemoHttpApp;
import io.actorvmm.api.AvmNode;
import io.actorvmm.domain.ProgramSpec;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.NodeSettings;
import io.actorvmm.runtime.vm.VmEntity;
import io.actorvmm.runtime.vm.VmState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hosts of different kinds side by side: a node whose host runs real QEMU VMs and a node whose host
 * runs programs (the patent's second embodiment). Each host advertises the runtime type it offers;
 * a program lands on the process host and answers on its port, a QEMU VM lands on the QEMU host and
 * runs there as a qemu-system-x86_64 process, and a VM asking for a runtime nobody offers waits as
 * Pending with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeterogeneousClusterTest {

  private Path dir;
  private AvmNode qemuNode;
  private AvmNode processNode;
  private Api api;

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("hetero");
    int seedPort = Ports.free();
    List<String> seeds = List.of("127.0.0.1:" + seedPort);
    NodeSettings q = NodeSettings.local(seedPort, Ports.free(), dir).withRoles(List.of("seed", "host"), seeds)
        .withHosts(List.of("q1"));
    NodeSettings p = NodeSettings.local(Ports.free(), Ports.free(), dir).withRoles(List.of("host"), seeds)
        .withHosts(List.of("p1"));
    qemuNode = AvmNode.start(q.withHypervisor("qemu"));
    processNode = AvmNode.start(p.withHypervisor("process"));
    api = new Api(qemuNode.apiPort());
    TestNodes.awaitHostsUp(api, "q1", "p1");
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(processNode, qemuNode);
    TestNodes.deleteQuietly(dir);
  }

  private VmState createAndStart(String vmId, VmSpec spec) throws Exception {
    var vm = ClusterSharding.get(qemuNode.runtime().system()).entityRefFor(VmEntity.ENTITY_KEY, vmId);
    vm.<VmState>askWithStatus(r -> new VmEntity.Create(spec, null, Set.of(), "it", r), Duration.ofSeconds(10))
        .toCompletableFuture().get();
    try {
      vm.<VmState>askWithStatus(r -> new VmEntity.Start("it", r), Duration.ofSeconds(20)).toCompletableFuture().get();
    } catch (Exception refused) {
      // a VM that fits nowhere is answered with the refusal and waits as Pending
    }
    return vm.<VmState>ask(VmEntity.Get::new, Duration.ofSeconds(10)).toCompletableFuture().get();
  }

  private JsonNode awaitPhase(String vmId, String phase) {
    return Await.until(vmId + " " + phase, Duration.ofSeconds(60), () -> api.get("/api/vms/" + vmId).json(),
        v -> phase.equals(v.path("phase").asText()));
  }

  @Test
  void eachVmLandsOnAHostOfferingItsRuntime() throws Exception {
    JsonNode hosts = api.get("/api/hosts").ok();
    for (JsonNode h : hosts) {
      String id = h.path("hostId").asText();
      List<String> runtimes = Api.list(h.path("runtimes")).stream().map(JsonNode::asText).toList();
      assertEquals(id.equals("q1") ? List.of("qemu") : List.of("process"), runtimes, id + " advertises " + runtimes);
    }

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProgramSpec program = new ProgramSpec(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
        DemoHttpApp.class.getName(), "--port", "{port}", "--name", "{vm}"), null, Map.of(),
        "http://127.0.0.1:{port}/health");
    VmSpec app = new VmSpec(1, 128, 1, 10, "process", "demo-http-app", true, 0).withProgram(program);
    assertEquals("p1", createAndStart("app-1", app).hostId());
    awaitPhase("app-1", "running");

    VmSpec vm = new VmSpec(1, 128, 1, 10, "qemu", "tiny.qcow2", true, 0);
    assertEquals("q1", createAndStart("vm-1", vm).hostId());
    awaitPhase("vm-1", "running");
    long qemus = ProcessHandle.allProcesses()
        .filter(ph -> ph.info().commandLine().orElse("").contains("qemu-system-x86_64")
            && ph.info().commandLine().orElse("").contains(dir.toString()))
        .count();
    assertEquals(1, qemus, "one QEMU process runs for vm-1");

    // the program answers on the port its host's runtime gave it
    String health = ((io.actorvmm.adapters.process.ProcessAdapter) processNode.runtime().adapter("p1"))
        .resolvedProgram("app-1").health();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(health.replace("/health", "/"))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("app-1", r.body().trim());

    VmState pending = createAndStart("lv-1", new VmSpec(1, 128, 1, 10, "libvirt", "x", true, 0));
    assertEquals("pending", pending.phase().label());
    assertTrue(pending.reason().equals("no host fits: 2 hosts, 2 do not offer runtime libvirt"),
        pending.reason());
  }
}
