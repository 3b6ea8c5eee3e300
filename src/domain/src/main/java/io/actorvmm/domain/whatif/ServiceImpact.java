package io.actorvmm.domain.whatif;

import io.actorvmm.domain.service.ServiceHealth;

/** A service whose availability the scenario changes: before, during the change (the worst moment), and after it. */
public record ServiceImpact(String service, ServiceHealth before, ServiceHealth during, ServiceHealth after) {}
