package io.actorvmm.api.model;

import io.actorvmm.domain.VmSpec;

/** A VM as the API shows it. */
public record VmInfo(String vmId, String phase, VmSpec spec, String hostId, int copyPercent, String appId,
                     String reason, PlacementInfo placement) {}
