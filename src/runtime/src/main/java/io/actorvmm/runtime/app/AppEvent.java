package io.actorvmm.runtime.app;

import io.actorvmm.domain.EventMeta;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.VmSpec;
import io.actorvmm.runtime.AvmEvent;
import io.actorvmm.runtime.vm.PlacementRules;

/** The events of an application. */
public sealed interface AppEvent extends AvmEvent {

  /** The application was defined by a service: its kind, replica count and the VM each replica runs in. */
  record AppDefined(String appId, String kind, int replicas, VmSpec vm, String service, boolean distinctHosts,
                    EventMeta meta, PlacementRules rules) implements AppEvent {
    /** A definition without placement rules besides anti-affinity. */
    public AppDefined(String appId, String kind, int replicas, VmSpec vm, String service, boolean distinctHosts,
                      EventMeta meta) {
      this(appId, kind, replicas, vm, service, distinctHosts, meta, PlacementRules.NONE);
    }
  }

  /** Another service now includes the application (an application may belong to several). */
  record AppJoinedService(String appId, String service, boolean distinctHosts, EventMeta meta, PlacementRules rules)
      implements AppEvent {
    /** A join without placement rules besides anti-affinity. */
    public AppJoinedService(String appId, String service, boolean distinctHosts, EventMeta meta) {
      this(appId, service, distinctHosts, meta, PlacementRules.NONE);
    }
  }

  /** The replica count changed (a service's autoscaling rule, or an operator), and why. */
  record AppScaled(String appId, int from, int to, String reason, EventMeta meta) implements AppEvent {}

  /** {@code by} (a service or an operator) wants the application running. */
  record AppStartRequested(String appId, String by, EventMeta meta) implements AppEvent {}

  /** {@code by} no longer wants the application running. */
  record AppStopRequested(String appId, String by, EventMeta meta) implements AppEvent {}

  /** A replica's VM changed state in a way that matters to the application (started, running, stopped, failed). */
  record AppReplicaChanged(String appId, String vmId, VmPhase phase, String hostId, EventMeta meta)
      implements AppEvent {}
}
