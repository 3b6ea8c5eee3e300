package io.actorvmm.api.model;

import io.actorvmm.domain.service.ServiceSpec;
import java.util.List;

/** A service, its desired state, its availability with the reason, and its applications' states. */
public record ServiceInfo(String name, ServiceSpec spec, String desired, String availability, String reason,
                          List<List<String>> startOrder, List<AppStatus> apps) {

  /** One application's state within the service. */
  public record AppStatus(String app, String status, int running, int replicas) {}
}
