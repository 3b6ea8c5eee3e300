package io.actorvmm.adapters;

/** One VM as a host's virtual layer really has it: its state and whether its data is on this host. */
public record ObservedVm(String vmId, VmRuntimeState state, boolean hasData) {}
