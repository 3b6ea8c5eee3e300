package io.actorvmm.api.model;

import java.util.List;

/** A plain acknowledgement, with the addresses an operation touched when it touched any. */
public record MessageBody(String message, List<String> downed) {

  /** An acknowledgement without addresses. */
  public static MessageBody of(String message) {
    return new MessageBody(message, List.of());
  }
}
