package io.actorvmm.adapters;

/** How a live migration went, as the hypervisor reports it: total time, pause time and bytes sent. */
public record MigrationResult(long totalMillis, long downtimeMillis, long bytesTransferred) {}
