package io.actorvmm.domain.whatif;

/** A VM the scenario leaves without a host, with the one-line reason (the placement summary or the data rule). */
public record Unplaced(String vmId, String app, String service, String fromHost, String reason) {}
