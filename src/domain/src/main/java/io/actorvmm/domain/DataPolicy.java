package io.actorvmm.domain;

/**
 * Where a VM's data lives, which decides what failover may do when its host is lost: LOCAL data lived
 * only on that host (the VM is marked "data unavailable" and is not restarted empty), REPLICATED data
 * is available elsewhere, and DISPOSABLE data may be recreated empty.
 */
public enum DataPolicy { LOCAL, REPLICATED, DISPOSABLE }
