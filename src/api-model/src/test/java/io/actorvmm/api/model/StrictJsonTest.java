package io.actorvmm.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.domain.DataPolicy;
import io.actorvmm.domain.service.ServiceSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
  private static final String VM = "\"vmId\": \"web-1\", \"cpuCores\": 1, \"memoryMiB\": 256, \"runtime\": \"qemu\"";
  private static final String SERVICE = "{\"name\": \"shop\", \"apps\": [{\"app\": \"web\", \"kind\": \"nginx\", "
      + "\"replicas\": 2, \"vm\": {\"cpuCores\": 1, \"memoryMiB\": 256, \"runtime\": \"qemu\"}}], \"rules\": {"
      + "\"autoscale\": [{\"app\": \"web\", \"upperActivity\": 80, \"lowerActivity\": 20.5, \"window\": \"PT2M\","
      + " \"minReplicas\": 1, \"maxReplicas\": 4}], \"maxPerHost\": {\"web\": 1}}}";

  /** One row: a body and the one line it is refused with. */
  record Case(String name, Class<?> type, String body, String problem) {}

  private static final List<Case> REFUSED = List.of(
      new Case("missing", CreateVm.class, " ", "request body is missing"),
      new Case("null", CreateVm.class, "null", "body: expected an object, not null"),
      new Case("a list for an object", CreateVm.class, "[1, 2]", "body: expected an object"),
      new Case("trailing garbage", CreateVm.class, "{" + VM + "}garbage", "body: unexpected data after the JSON document"),
      new Case("a second document", CreateVm.class, "{" + VM + "} {}", "body: unexpected data after the JSON document"),
      new Case("a string for an int", CreateVm.class, "{" + VM.replace("1,", "\"4\",") + "}",
          "field cpuCores: expected an integer"),
      new Case("a fraction for an int", CreateVm.class, "{" + VM.replace("1,", "1.5,") + "}",
          "field cpuCores: expected an integer"),
      new Case("a number for a flag", CreateVm.class, "{" + VM + ", \"relocatable\": 1}",
          "field relocatable: expected true or false"),
      new Case("a string for a flag", MoveBody.class, "{\"live\": \"true\"}", "field live: expected true or false"),
      new Case("a number for a string", CreateVm.class, "{" + VM.replace("\"qemu\"", "7") + "}",
          "field runtime: expected a string"),
      new Case("an object for a string", CreateVm.class, "{" + VM.replace("\"qemu\"", "{}") + "}",
          "field runtime: expected a string"),
      new Case("null for a number", CreateVm.class, "{" + VM + ", \"diskGiB\": null}",
          "field diskGiB: null is not allowed there"),
      new Case("too large for an int", CreateVm.class, "{" + VM.replace("1,", "2147483648,") + "}",
          "field cpuCores: number out of range for an integer"),
      new Case("too many digits", CreateVm.class, "{" + VM.replace("1,", "1" + "0".repeat(200) + ",") + "}",
          "body: a number longer than 100 digits"),
      new Case("an unknown field", CreateVm.class, "{" + VM + ", \"cpus\": 2}", "field cpus: unknown field; known"
          + " fields: cpuCores, data, diskGiB, image, maxRestarts, memoryMiB, networkMbit, relocatable, restart,"
          + " restartPriority, restartWindow, runtime, securityLevel, vmId"),
      new Case("a key twice", CreateVm.class, "{" + VM + ", \"vmId\": \"web-2\"}", "field vmId: given twice"),
      new Case("an unknown enum value", CreateVm.class, "{" + VM + ", \"data\": \"SHARED\"}",
          "field data: expected one of LOCAL, REPLICATED, DISPOSABLE"),
      new Case("an enum by number", CreateVm.class, "{" + VM + ", \"data\": 1}",
          "field data: expected one of LOCAL, REPLICATED, DISPOSABLE"),
      new Case("a bad duration", CreateVm.class, "{" + VM + ", \"restartWindow\": \"ten minutes\"}",
          "field restartWindow: expected an ISO-8601 duration such as PT5M"),
      new Case("deep nesting where a string belongs", CreateVm.class, "{\"vmId\": " + "[".repeat(100)
          + "]".repeat(100) + "}", "field vmId: expected a string"),
      new Case("deep nesting", JsonNode.class, "[".repeat(100) + "]".repeat(100), "body: nested deeper than 32 levels"),
      new Case("malformed", CreateVm.class, "{\"vmId\": \"x\",, }", "body: malformed JSON at line 1, column 14"),
      new Case("cut short", CreateVm.class, "{\"vmId\": \"x\",", "body: malformed JSON: the document ends too early"),
      new Case("a nested string for an int", ServiceSpec.class, SERVICE.replace("\"replicas\": 2", "\"replicas\": \"2\""),
          "field apps[0].replicas: expected an integer"),
      new Case("a nested unknown field in a vm", ServiceSpec.class, SERVICE.replace("\"cpuCores\": 1", "\"cpu\": 1"),
          null),
      new Case("a nested fraction in a map", ServiceSpec.class, SERVICE.replace("{\"web\": 1}", "{\"web\": 1.5}"),
          "field rules.maxPerHost.web: expected an integer"),
      new Case("a null app", ServiceSpec.class, "{\"name\": \"shop\", \"apps\": [null]}", null),
      new Case("a huge nested int", ServiceSpec.class, SERVICE.replace("\"replicas\": 2", "\"replicas\": 9999999999"),
          "field apps[0].replicas: number out of range for an integer"));

  @Test
  void badBodiesAreRefusedInOneLineNamingTheFieldAndTheRule() {
    for (Case c : REFUSED) {
      String line = assertThrows(StrictJson.BadBody.class, () -> StrictJson.read(c.body(), c.type()), c.name())
          .getMessage();
      if (c.problem() != null) assertEquals(c.problem(), line, c.name());
      assertFalse(line.contains("\n"), c.name() + ": " + line);
      for (String internal : List.of("io.", "java.", "com.fasterxml", "Exception", "`")) {
        assertFalse(line.contains(internal), c.name() + ": " + line);
      }
    }
  }

  @Test
  void nestedProblemsNameTheirPath() {
    String vm = assertThrows(StrictJson.BadBody.class, () -> StrictJson.read(
        SERVICE.replace("\"cpuCores\": 1", "\"cpu\": 1"), ServiceSpec.class)).getMessage();
    assertTrue(vm.startsWith("field apps[0].vm.cpu: unknown field"), vm);
    String nulls = assertThrows(StrictJson.BadBody.class, () -> StrictJson.read(
        "{\"name\": \"shop\", \"apps\": [null]}", ServiceSpec.class)).getMessage();
    assertTrue(nulls.contains("null is not allowed"), nulls);
  }

  @Test
  void wellFormedBodiesReadAsBefore() {
    CreateVm vm = StrictJson.read("{" + VM + ", \"data\": \"REPLICATED\", \"restartWindow\": \"PT5M\"}", CreateVm.class);
    assertEquals(1, vm.cpuCores());
    assertEquals(DataPolicy.REPLICATED, vm.data());
    assertEquals(Duration.ofMinutes(5), vm.restartWindow());
    assertTrue(vm.spec().relocatable());
    ServiceSpec s = StrictJson.read(SERVICE, ServiceSpec.class);
    assertEquals(2, s.apps().get(0).replicas());
    assertTrue(s.apps().get(0).vm().relocatable());
    // a whole number where a fraction is expected is still a number
    assertEquals(80.0, s.rules().autoscaleOf("web").upperActivity());
    assertEquals(1, s.rules().maxPerHostOf("web"));
    assertEquals(new MoveBody("h2", true, "maintenance"),
        StrictJson.read("{\"to\": \"h2\", \"live\": true, \"reason\": \"maintenance\"}", MoveBody.class));
  }
}
