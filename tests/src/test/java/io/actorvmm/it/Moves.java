package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the move tests read back through a node's API: a move's events, and where a moved VM settled. */
final class Moves {
  /** The steps of a cold move that completed, in order. */
  static final List<String> COLD_STEPS = List.of("vm-claimed", "source-stopped", "data-exported", "data-imported",
      "vm-assigned", "target-started", "source-cleaned");

  /** The steps of a live move that completed, in order. */
  static final List<String> LIVE_STEPS = List.of("vm-claimed", "target-prepared", "migrated", "vm-assigned",
      "target-finished", "source-cleaned");

  private Moves() {}

  /** The events a completed move of {@code steps} leaves: MoveStarted, each step, MoveEnded. */
  static List<String> completed(List<String> steps) {
    List<String> out = new ArrayList<>(List.of("MoveStarted"));
    out.addAll(steps);
    out.add("MoveEnded");
    return out;
  }

  /** The events of move {@code moveId} of {@code vm} in journal order, a MoveStepDone as its step's label. */
  static List<String> events(Api api, String vm, long moveId) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : api.history("move:" + vm)) {
      if (e.path("detail").path("moveId").asLong() != moveId) continue;
      String name = e.path("event").asText();
      out.add(name.equals("MoveStepDone") ? e.path("detail").path("step").asText().toLowerCase().replace('_', '-')
          : name);
    }
    return out;
  }

  /**
   * What the control program of {@code host} says of {@code vm}, once it answers (just after a restart of
   * its node the host's entity may still be on its way back there).
   */
  static JsonNode onHost(Api api, String host, String vm, Duration wait) {
    return Await.until("host " + host + " answers for " + vm, wait,
        () -> api.get("/api/hosts/" + host + "/vms/" + vm), r -> r.status() == 200).json();
  }

  /** Exactly one running copy on {@code host}, its data only there, its reservation only there. */
  static void assertSettledOn(Api api, String vm, String host, String other, Duration wait) {
    JsonNode v = api.get("/api/vms/" + vm).ok();
    assertEquals("running", v.path("phase").asText(), v::toString);
    assertEquals(host, v.path("hostId").asText(), v::toString);
    JsonNode there = onHost(api, host, vm, wait);
    JsonNode elsewhere = onHost(api, other, vm, wait);
    assertEquals("running", there.path("state").asText(), there::toString);
    assertTrue(there.path("hasData").asBoolean(), there::toString);
    assertFalse(elsewhere.path("hasData").asBoolean(), elsewhere::toString);
    assertFalse(elsewhere.path("state").asText().equals("running"), elsewhere::toString);
    Await.until("reservation of " + vm + " only on " + host, wait, () ->
        Api.list(api.get("/api/hosts/" + host).ok().path("vms")).stream().anyMatch(n -> n.asText().equals(vm))
            && Api.list(api.get("/api/hosts/" + other).ok().path("vms")).stream().noneMatch(n -> n.asText().equals(vm)));
  }
}
