package io.actorvmm.domain;

/** The state a host is in: only an Up host accepts new VMs. */
public enum HostStatus { UP, MAINTENANCE, DOWN }
