package io.actorvmm.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.domain.service.ServiceSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JsonTest {
  private final ObjectMapper json = Json.mapper();

  @Test
  void aVmSpecIsRelocatableUnlessItSaysOtherwise() throws Exception {
    String base = "\"cpuCores\": 1, \"memoryMiB\": 256, \"runtime\": \"qemu\"";
    assertTrue(json.readValue("{" + base + "}", VmSpec.class).relocatable());
    assertTrue(json.readValue("{" + base + ", \"relocatable\": null}", VmSpec.class).relocatable());
    assertFalse(json.readValue("{" + base + ", \"relocatable\": false}", VmSpec.class).relocatable());
    VmSpec full = json.readValue("{" + base + ", \"data\": \"REPLICATED\", \"restartPriority\": 3, \"site\": \"b\"}",
        VmSpec.class);
    assertEquals(DataPolicy.REPLICATED, full.data());
    assertEquals(3, full.restartPriority());
    assertEquals("b", full.site());
    // written and read back unchanged
    assertEquals(full, json.readValue(json.writeValueAsString(full), VmSpec.class));
  }

  @Test
  void aServiceReadsItsVmsWithTheSameDefaultsAndItsWindowsAsIsoDurations() throws Exception {
    ServiceSpec s = json.readValue("{\"name\": \"s\", \"apps\": [{\"app\": \"web\", \"kind\": \"web\", \"replicas\": 2,"
        + " \"vm\": {\"cpuCores\": 1, \"memoryMiB\": 256, \"runtime\": \"qemu\"}}], \"rules\": {\"autoscale\": "
        + "[{\"app\": \"web\", \"upperActivity\": 80, \"lowerActivity\": 20, \"window\": \"PT2M\", \"minReplicas\": 1,"
        + " \"maxReplicas\": 4}]}}", ServiceSpec.class);
    assertTrue(s.apps().get(0).vm().relocatable());
    assertEquals(Duration.ofMinutes(2), s.rules().autoscaleOf("web").window());
    assertTrue(json.writeValueAsString(s).contains("\"PT2M\""));
  }
}
