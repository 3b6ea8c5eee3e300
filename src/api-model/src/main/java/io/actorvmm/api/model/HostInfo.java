package io.actorvmm.api.model;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.Resources;
import java.util.List;

/** A physical machine as the API shows it. */
public record HostInfo(String hostId, String status, String statusReason, String site, int securityLevel,
                       List<String> runtimes, Resources capacity, Resources used, Resources free,
                       CostRates costRates, List<String> vms) {}
