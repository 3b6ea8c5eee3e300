package io.actorvmm.runtime.move;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.actorvmm.adapters.DataBundle;
import io.actorvmm.domain.EventMeta;
import io.actorvmm.runtime.RuntimeTestKit;
import io.actorvmm.runtime.Specs;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

/** A move's state and the order of its steps: cold, live, and the fallback, as recovery replays them. */
class MoveStateTest {
  private static final EventMeta META = EventMeta.now("test");

  private static MoveState started(boolean live) {
    return MoveState.empty("v").apply(new MoveEvent.MoveStarted("v", 1, "h1", "h2", live, Specs.vm(1, 256), null,
        "test", "placed on h2", META, 2.5));
  }

  private static MoveState with(MoveState s, MoveStep step) {
    return s.apply(new MoveEvent.MoveStepDone("v", s.moveId(), step, null,
        step == MoveStep.DATA_EXPORTED ? new DataBundle("h1", "sim:h1/v", 1) : null, null,
        step == MoveStep.MIGRATED ? 7 : -1, META));
  }

  @Test
  void aColdMoveGoesStepByStepAndFallsBackOnlyUntilTheTargetRuns() {
    MoveState s = started(false);
    List<MoveEntity.Action> order = List.of(MoveEntity.Action.CLAIM, MoveEntity.Action.STOP, MoveEntity.Action.EXPORT,
        MoveEntity.Action.IMPORT, MoveEntity.Action.ASSIGN, MoveEntity.Action.START_TARGET,
        MoveEntity.Action.CLEAN_SOURCE, MoveEntity.Action.END);
    for (MoveEntity.Action a : order) {
      assertEquals(a, MoveEntity.next(s), () -> "after " + "steps");
      assertEquals(a != MoveEntity.Action.CLEAN_SOURCE && a != MoveEntity.Action.END, MoveEntity.canFallBack(s),
          () -> "fallback allowed before " + a);
      if (a.step != null) s = with(s, a.step);
    }
    assertEquals("sim:h1/v", s.bundle().uri());
    // a step reported twice is recorded once
    assertEquals(s.done(), with(s, MoveStep.SOURCE_STOPPED).done());
    s = s.apply(new MoveEvent.MoveEnded("v", 1, MoveState.Status.COMPLETED, "vm runs on h2", META));
    assertEquals(MoveEntity.Action.NONE, MoveEntity.next(s));
    assertFalse(s.active());
  }

  @Test
  void aFallbackDiscardsTheTargetThenRestartsTheSource() {
    MoveState s = with(with(started(false), MoveStep.VM_CLAIMED), MoveStep.SOURCE_STOPPED);
    s = s.apply(new MoveEvent.MoveFallingBack("v", 1, "export failed", META));
    assertTrue(s.fallingBack());
    assertFalse(MoveEntity.canFallBack(s));
    assertEquals(MoveEntity.Action.DISCARD_TARGET, MoveEntity.next(s));
    s = with(s, MoveStep.TARGET_DISCARDED);
    assertEquals(MoveEntity.Action.RESTART_SOURCE, MoveEntity.next(s));
    s = with(s, MoveStep.SOURCE_RESTARTED);
    assertEquals(MoveEntity.Action.END, MoveEntity.next(s));
    // refused before the VM was claimed: only the target's reservation goes back
    MoveState early = started(false).apply(new MoveEvent.MoveFallingBack("v", 1, "vm changed", META));
    early = with(early, MoveStep.TARGET_DISCARDED);
    assertEquals(MoveEntity.Action.END, MoveEntity.next(early));
  }

  @Test
  void aLiveMovePreparesMigratesAndRecordsTheDowntime() {
    MoveState s = started(true);
    List<MoveEntity.Action> order = List.of(MoveEntity.Action.CLAIM, MoveEntity.Action.PREPARE,
        MoveEntity.Action.MIGRATE, MoveEntity.Action.ASSIGN, MoveEntity.Action.FINISH, MoveEntity.Action.CLEAN_SOURCE,
        MoveEntity.Action.END);
    for (MoveEntity.Action a : order) {
      assertEquals(a, MoveEntity.next(s));
      if (a.step != null) s = with(s, a.step);
    }
    assertEquals(7, s.downtimeMillis());
    // a failed live move does not restart the source: the VM kept running there
    MoveState failed = with(started(true), MoveStep.VM_CLAIMED).apply(new MoveEvent.MoveFallingBack("v", 1, "x", META));
    failed = with(failed, MoveStep.TARGET_DISCARDED);
    assertEquals(MoveEntity.Action.END, MoveEntity.next(failed));
  }

  @Test
  void theTransferCostStaysWithTheMoveThroughItsSteps() {
    MoveState s = started(false);
    assertEquals(2.5, s.transferCost());
    for (MoveStep step : List.of(MoveStep.VM_CLAIMED, MoveStep.SOURCE_STOPPED, MoveStep.DATA_EXPORTED)) s = with(s, step);
    s = s.apply(new MoveEvent.MoveFallingBack("v", 1, "x", META));
    s = s.apply(new MoveEvent.MoveEnded("v", 1, MoveState.Status.FAILED, "x", META));
    assertEquals(2.5, s.transferCost());
    assertNull(MoveState.empty("v").transferCost());
  }

  @Test
  void aMoveStartedWrittenBeforeTheTransferCostWasRecordedReadsAsUnknown() throws Exception {
    ActorTestKit kit = RuntimeTestKit.create("move-started-compat");
    try {
      Serialization ser = SerializationExtension.get(Adapter.toClassic(kit.system()));
      MoveEvent.MoveStarted now = new MoveEvent.MoveStarted("v", 1, "h1", "h2", false, Specs.vm(1, 256), null, "test",
          "placed on h2", META, 2.5);
      Serializer serializer = ser.findSerializerFor(now);
      String manifest = Serializers.manifestFor(serializer, now);
      byte[] bytes = ser.serialize(now).get();
      assertEquals(now, ser.deserialize(bytes, serializer.identifier(), manifest).get());
      // the same event as a node without the field wrote it
      ObjectMapper cbor = new ObjectMapper(new CBORFactory());
      ObjectNode tree = (ObjectNode) cbor.readTree(bytes);
      assertNotNull(tree.remove("transferCost"), tree::toString);
      MoveEvent.MoveStarted old = (MoveEvent.MoveStarted) ser.deserialize(cbor.writeValueAsBytes(tree),
          serializer.identifier(), manifest).get();
      assertNull(old.transferCost());
      assertEquals("h2", old.toHost());
      assertNull(MoveState.empty("v").apply(old).transferCost());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
