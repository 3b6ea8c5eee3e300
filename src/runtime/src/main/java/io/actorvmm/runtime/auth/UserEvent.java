package io.actorvmm.runtime.auth;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.auth.Grant;
import io.actorvmm.runtime.AvmEvent;

/** The events of a user. */
public sealed interface UserEvent extends AvmEvent {

  /** The user was created, without grants. */
  record UserCreated(String name, EventMeta meta) implements UserEvent {}

  /** The user was granted a role on a path. */
  record RoleGranted(String name, Grant grant, EventMeta meta) implements UserEvent {}

  /** A grant of the user was taken back. */
  record RoleRevoked(String name, Grant grant, EventMeta meta) implements UserEvent {}
}
