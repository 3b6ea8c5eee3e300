package io.actorvmm.runtime.move;

import io.actorvmm.adapters.DataBundle;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.CborSerializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of a VM's latest move as its events build it: which move (numbered from 1), source and
 * target, cold or live, the steps done in order, the data bundle and live endpoint once known, the
 * reason of a fallback, the outcome, and the transfer cost of the VM's data (null: not known).
 */
public record MoveState(String vmId, long moveId, Status status, String fromHost, String toHost, boolean live,
                        VmSpec spec, String appId, List<MoveStep> done, DataBundle bundle, MigrationEndpoint endpoint,
                        String fallback, String reason, long downtimeMillis, EventMeta started, EventMeta ended,
                        Double transferCost)
    implements CborSerializable {

  /** Where a move stands. */
  public enum Status { NONE, ACTIVE, COMPLETED, FAILED, ABORTED }

  /** Copies the list so the record stays immutable. */
  public MoveState {
    done = done == null ? List.of() : List.copyOf(done);
  }

  /** The state of a VM that never moved. */
  public static MoveState empty(String vmId) {
    return new MoveState(vmId, 0, Status.NONE, null, null, false, null, null, List.of(), null, null, null, null, -1,
        null, null, null);
  }

  /** True while the move runs. */
  public boolean active() {
    return status == Status.ACTIVE;
  }

  /** True once {@code step} is done. */
  public boolean has(MoveStep step) {
    return done.contains(step);
  }

  /** True while the move is going back to the source. */
  public boolean fallingBack() {
    return fallback != null;
  }

  /** This state after {@code event}. */
  public MoveState apply(MoveEvent event) {
    if (event instanceof MoveEvent.MoveStarted e) {
      return new MoveState(vmId, e.moveId(), Status.ACTIVE, e.fromHost(), e.toHost(), e.live(), e.spec(), e.appId(),
          List.of(), null, null, null, e.reason(), -1, e.meta(), null, e.transferCost());
    } else if (event instanceof MoveEvent.MoveStepDone e) {
      List<MoveStep> d = new ArrayList<>(done);
      if (!d.contains(e.step())) d.add(e.step());
      return new MoveState(vmId, moveId, status, fromHost, toHost, live, spec, appId, d,
          e.bundle() != null ? e.bundle() : bundle, e.endpoint() != null ? e.endpoint() : endpoint, fallback, reason,
          e.downtimeMillis() >= 0 ? e.downtimeMillis() : downtimeMillis, started, ended, transferCost);
    } else if (event instanceof MoveEvent.MoveFallingBack e) {
      return new MoveState(vmId, moveId, status, fromHost, toHost, live, spec, appId, done, bundle, endpoint,
          e.reason(), reason, downtimeMillis, started, ended, transferCost);
    } else if (event instanceof MoveEvent.MoveEnded e) {
      return new MoveState(vmId, moveId, e.outcome(), fromHost, toHost, live, spec, appId, done, bundle, endpoint,
          fallback, e.reason(), downtimeMillis, started, e.meta(), transferCost);
    }
    throw new IllegalStateException("unknown move event " + event);
  }
}
