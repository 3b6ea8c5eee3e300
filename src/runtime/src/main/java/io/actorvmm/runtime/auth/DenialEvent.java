package io.actorvmm.runtime.auth;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.runtime.AvmEvent;

/** The events of a node's {@link DenialLog}. */
public sealed interface DenialEvent extends AvmEvent {

  /**
   * A request was refused: 401 (no valid token; {@code meta.who} is {@code anonymous}, or the owner of a
   * revoked or expired token) or 403 (the principal lacks {@code privilege} on {@code object}). Never holds
   * the token itself, only its id when it had the token's shape.
   */
  record RequestDenied(int status, String method, String path, String privilege, String object, String reason,
                       EventMeta meta) implements DenialEvent {}
}
