package io.actorvmm.domain.whatif;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.HostStatus;

/** A host of the inventory a what-if starts from: what it declared and its status. */
public record InventoryHost(HostSpec spec, HostStatus status) {}
