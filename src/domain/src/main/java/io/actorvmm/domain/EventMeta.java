package io.actorvmm.domain;

import io.actorvmm.domain.auth.Caller;
import java.time.Instant;

/**
 * Who caused an event and when; every persisted event carries one. {@code who} is the authenticated
 * principal (or a system actor such as {@code system:host-agent}); {@code token} the id of the API token
 * the request came with and {@code note} the caller's own annotation (the CLI's {@code --user}), both
 * null for the system's own events and for events recorded before the API authenticated its callers.
 */
public record EventMeta(String who, Instant at, String token, String note) {

  /** A meta without a token or annotation. */
  public EventMeta(String who, Instant at) {
    this(who, at, null, null);
  }

  /** A meta for {@code who} (a caller's text, see {@link Caller#text()}) at the current time. */
  public static EventMeta now(String who) {
    Caller c = Caller.parse(who);
    return new EventMeta(c.principal(), Instant.now(), c.token(), c.note());
  }
}
