package io.actorvmm.runtime;

import io.actorvmm.domain.EventMeta;

/** Every persisted event: it says who caused it and when. */
public interface AvmEvent extends CborSerializable {

  /** Who caused the event and when. */
  EventMeta meta();
}
