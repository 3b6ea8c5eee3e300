package io.actorvmm.api.model;

import com.fasterxml.jackson.databind.JsonNode;

/** An entity rebuilt from its events up to a time: how many events were applied and the state they give. */
public record ReplayResult(String entity, String at, int events, JsonNode state) {}
