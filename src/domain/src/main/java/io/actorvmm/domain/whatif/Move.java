package io.actorvmm.domain.whatif;

/**
 * A VM the scenario moves or restarts: from (null for a new replica) and to which host, and its wave:
 * replicas of one application move in waves of at most the service's max-unavailable count.
 */
public record Move(String vmId, String app, String service, String fromHost, String toHost, int wave) {}
