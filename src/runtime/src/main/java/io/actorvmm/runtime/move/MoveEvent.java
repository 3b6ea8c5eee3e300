package io.actorvmm.runtime.move;

import io.actorvmm.adapters.DataBundle;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.AvmEvent;

/** The events of a VM's move process: one per step, each with who caused it and when. */
public sealed interface MoveEvent extends AvmEvent {

  /**
   * A move began: the target host reserved capacity for the VM (so anti-affinity and capacity were
   * checked by the target itself), why the target was chosen, and the one-off cost of transferring the
   * VM's data (disk GiB × the source's and the target's per-GiB-transferred rates; null when the hosts'
   * rates were not known, and in events written before it was recorded).
   */
  record MoveStarted(String vmId, long moveId, String fromHost, String toHost, boolean live, VmSpec spec,
                     String appId, String reason, String placement, EventMeta meta, Double transferCost)
      implements MoveEvent {}

  /**
   * One step of the move is done. {@code bundle} is set for {@link MoveStep#DATA_EXPORTED}, {@code endpoint}
   * for {@link MoveStep#TARGET_PREPARED}, {@code downtimeMillis} (the pause the hypervisor reported) for
   * {@link MoveStep#MIGRATED}; -1 when unknown.
   */
  record MoveStepDone(String vmId, long moveId, MoveStep step, String hostId, DataBundle bundle,
                      MigrationEndpoint endpoint, long downtimeMillis, EventMeta meta) implements MoveEvent {}

  /** A step failed before the VM was settled on the target: the move goes back to the source, and why. */
  record MoveFallingBack(String vmId, long moveId, String reason, EventMeta meta) implements MoveEvent {}

  /** The move ended: completed (the VM runs on the target), failed (it runs on the source again) or aborted. */
  record MoveEnded(String vmId, long moveId, MoveState.Status outcome, String reason, EventMeta meta)
      implements MoveEvent {}
}
