package io.actorvmm.adapters;

/** Optional operations an adapter may support. */
public enum Capability { COLD_MOVE, LIVE_MIGRATION, STATISTICS, APP_STATISTICS }
