package io.actorvmm.api.model;

import com.fasterxml.jackson.databind.JsonNode;

/** One event of the journal: its position, time, entity (type:id), event name, who caused it, and its fields. */
public record AuditEntry(long offset, String at, String entity, String event, String who, JsonNode detail) {}
