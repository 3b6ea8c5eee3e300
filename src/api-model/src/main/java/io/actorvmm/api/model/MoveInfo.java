package io.actorvmm.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A VM's latest move as the API shows it: its number, status (active, completed, failed, aborted),
 * source and target, the steps done in order, the fallback reason, the outcome's reason, the downtime
 * of a live move (-1 unknown), who started it and when it started and ended.
 */
public record MoveInfo(String vmId, long moveId, String status, String fromHost, String toHost, boolean live,
                       List<String> steps, String fallback, String reason, long downtimeMillis, String startedBy,
                       Instant startedAt, Instant endedAt) {}
