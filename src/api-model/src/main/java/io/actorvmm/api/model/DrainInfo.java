package io.actorvmm.api.model;

import io.actorvmm.domain.whatif.WhatIfResult;
import java.util.List;
import java.util.Map;

/**
 * Where a host's drain stands: status and reason, whether it drains (and onto which host), the VMs still
 * on it, those moving, those waiting with the reason each waits, and the plan for what is left.
 */
public record DrainInfo(String hostId, String status, String reason, boolean draining, String onlyTarget,
                        List<String> remaining, List<String> moving, Map<String, String> waiting,
                        WhatIfResult plan) {}
