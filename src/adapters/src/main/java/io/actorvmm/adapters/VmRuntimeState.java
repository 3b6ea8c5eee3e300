package io.actorvmm.adapters;

/** A VM's state as the virtual layer sees it. */
public enum VmRuntimeState { UNKNOWN, DEFINED, COPYING, READY, BOOTING, RUNNING, STOPPED, CRASHED }
