package io.actorvmm.runtime.service;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.service.Availability;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.runtime.AvmEvent;

/** The events of a service. */
public sealed interface ServiceEvent extends AvmEvent {

  /** The service was defined with its applications and rules. */
  record ServiceDefined(String name, ServiceSpec spec, EventMeta meta) implements ServiceEvent {}

  /** Someone asked the service to run. */
  record ServiceStartRequested(String name, EventMeta meta) implements ServiceEvent {}

  /** Someone asked the service to stop. */
  record ServiceStopRequested(String name, EventMeta meta) implements ServiceEvent {}

  /** The service asked an application to start, because every application it starts after runs. */
  record ServiceAppStartIssued(String name, String app, String reason, EventMeta meta) implements ServiceEvent {}

  /** The service asked an application to stop, because nothing that needs it still runs. */
  record ServiceAppStopIssued(String name, String app, String reason, EventMeta meta) implements ServiceEvent {}

  /** The service's availability changed, and why. */
  record ServiceAvailabilityChanged(String name, Availability availability, String reason, EventMeta meta)
      implements ServiceEvent {}

  /** An autoscaling rule changed an application's replica count, and why. */
  record ServiceAppScaled(String name, String app, int from, int to, String reason, EventMeta meta)
      implements ServiceEvent {}
}
