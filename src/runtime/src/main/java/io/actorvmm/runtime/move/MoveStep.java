package io.actorvmm.runtime.move;

import java.util.Locale;

/** The steps of a move, each persisted once when done. */
public enum MoveStep {
  /** The VM entity accepted the move: no start, stop or delete until it ends. */
  VM_CLAIMED,
  /** Cold: the source's control program stopped the VM (its data stays there). */
  SOURCE_STOPPED,
  /** Cold: the VM's own data was established on the source as a bundle. */
  DATA_EXPORTED,
  /** Cold: the bundle was copied into the target's data. */
  DATA_IMPORTED,
  /** Live: the target is ready to receive the running VM. */
  TARGET_PREPARED,
  /** Live: the hypervisor moved the running VM to the target. */
  MIGRATED,
  /** The VM entity now names the target as the VM's host. */
  VM_ASSIGNED,
  /** Cold: the VM booted on the target. */
  TARGET_STARTED,
  /** Live: the target settled the VM that arrived. */
  TARGET_FINISHED,
  /** The source deleted the VM's data and gave back its reservation. */
  SOURCE_CLEANED,
  /** Fallback: whatever the target held of the VM was removed and its reservation given back. */
  TARGET_DISCARDED,
  /** Fallback: the VM runs on its source again, from its intact data. */
  SOURCE_RESTARTED;

  /** The lower-case, dashed name users see: "data-exported". */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
