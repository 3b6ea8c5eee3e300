package io.actorvmm.runtime.service;

import io.actorvmm.domain.service.Availability;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.runtime.CborSerializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service as its events build it: its spec, whether it should run, which applications it has
 * asked to run, and its last recorded availability with the reason.
 */
public record ServiceState(String name, ServiceSpec spec, boolean started, Set<String> issued,
                           Availability availability, String reason) implements CborSerializable {

  /** Copies the set so the record stays immutable. */
  public ServiceState {
    issued = issued == null ? Set.of() : Set.copyOf(issued);
  }

  /** The state of a service never defined. */
  public static ServiceState empty(String name) {
    return new ServiceState(name, null, false, Set.of(), Availability.STOPPED, "service is not defined");
  }

  /** True once defined. */
  public boolean exists() {
    return spec != null;
  }

  /** This state after {@code event}. */
  public ServiceState apply(ServiceEvent event) {
    if (event instanceof ServiceEvent.ServiceDefined e) {
      return new ServiceState(name, e.spec(), false, Set.of(), Availability.STOPPED, "service is stopped");
    } else if (event instanceof ServiceEvent.ServiceStartRequested) {
      return new ServiceState(name, spec, true, issued, availability, reason);
    } else if (event instanceof ServiceEvent.ServiceStopRequested) {
      return new ServiceState(name, spec, false, issued, availability, reason);
    } else if (event instanceof ServiceEvent.ServiceAppStartIssued e) {
      Set<String> s = new TreeSet<>(issued);
      s.add(e.app());
      return new ServiceState(name, spec, started, s, availability, reason);
    } else if (event instanceof ServiceEvent.ServiceAppStopIssued e) {
      Set<String> s = new TreeSet<>(issued);
      s.remove(e.app());
      return new ServiceState(name, spec, started, s, availability, reason);
    } else if (event instanceof ServiceEvent.ServiceAppScaled) {
      // the application keeps its replica count; the service records the step for the audit trail
      return this;
    } else if (event instanceof ServiceEvent.ServiceAvailabilityChanged e) {
      return new ServiceState(name, spec, started, issued, e.availability(), e.reason());
    }
    throw new IllegalStateException("unknown service event " + event);
  }
}
