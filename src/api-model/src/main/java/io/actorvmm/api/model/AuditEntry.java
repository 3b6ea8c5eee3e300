package io.actorvmm.api.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of the journal: its position, time, entity (type:id), event name, who caused it (the
 * authenticated principal, or a system actor), and its fields; {@code token} is the id of the API token
 * the request came with and {@code note} the caller's own annotation ({@code X-Avm-User}), both null when
 * there was none.
 */
public record AuditEntry(long offset, String at, String entity, String event, String who, JsonNode detail, String token,
                         String note) {

  /** An entry without token or annotation. */
  public AuditEntry(long offset, String at, String entity, String event, String who, JsonNode detail) {
    this(offset, at, entity, event, who, detail, null, null);
  }
}
