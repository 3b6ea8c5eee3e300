package io.actorvmm.runtime.auth;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.runtime.AvmEvent;
import java.time.Instant;
import java.util.List;

/** The events of an API token. None carries the token's secret; {@code secretDigest} is its SHA-256. */
public sealed interface TokenEvent extends AvmEvent {

  /** The token was issued to {@code owner}, narrowed to {@code roles} (empty: all of the owner's), valid until {@code expiresAt} (null: no end). */
  record TokenIssued(String tokenId, String owner, String secretDigest, List<String> roles, Instant expiresAt,
                     String label, EventMeta meta) implements TokenEvent {}

  /** The token was revoked; it is refused from now on. */
  record TokenRevoked(String tokenId, EventMeta meta) implements TokenEvent {}
}
