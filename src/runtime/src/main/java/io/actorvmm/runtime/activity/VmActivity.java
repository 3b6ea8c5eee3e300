package io.actorvmm.runtime.activity;

import io.actorvmm.runtime.CborSerializable;

/**
 * One measurement of a running VM's activity, as its host's virtual layer reports it: CPU use in
 * percent of the VM's cores (for a program runtime, of the program), taken at {@code atMillis}.
 */
public record VmActivity(String vmId, String hostId, String appId, double activity, long atMillis)
    implements CborSerializable {}
