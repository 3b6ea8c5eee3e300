package io.actorvmm.domain;

import java.time.Instant;

/** Who caused an event and when; every persisted event carries one. */
public record EventMeta(String who, Instant at) {

  /** A meta for {@code who} at the current time. */
  public static EventMeta now(String who) {
    return new EventMeta(who == null || who.isBlank() ? "unknown" : who, Instant.now());
  }
}
