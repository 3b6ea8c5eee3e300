package io.actorvmm.api.model;

/** What a host's virtual layer holds of a VM: its state there and whether the host has its data. */
public record VmOnHostInfo(String hostId, String vmId, String state, boolean hasData) {}
