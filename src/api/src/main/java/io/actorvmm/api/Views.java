package io.actorvmm.api;

import io.actorvmm.api.model.AppInfo;
import io.actorvmm.api.model.HostInfo;
import io.actorvmm.api.model.PlacementInfo;
import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.api.model.VmInfo;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.domain.placement.HostVerdict;
import io.actorvmm.domain.restart.RestartMode;
import io.actorvmm.domain.restart.RestartPolicy;
import io.actorvmm.domain.placement.PlacementDecision;
import io.actorvmm.domain.service.StartOrder;
import io.actorvmm.runtime.app.AppState;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.service.ServiceState;
import io.actorvmm.runtime.vm.VmState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Maps the entities' states to the API's records. */
public final class Views {
  private Views() {}

  /** A host as the API shows it. */
  public static HostInfo host(HostState s) {
    List<String> vms = new ArrayList<>(s.reservations().keySet());
    vms.sort(String::compareTo);
    return new HostInfo(s.hostId(), s.status().name().toLowerCase(), s.statusReason(), s.spec().site(),
        s.spec().securityLevel(), s.spec().runtimes(), s.spec().capacity(), s.used(), s.free(), s.spec().costRates(),
        vms, s.unmanaged(), s.spec().fencing().describe(),
        s.status() == io.actorvmm.domain.HostStatus.DOWN && s.fenceWait() != null
            && s.fenceWait().holds(java.time.Instant.now()) ? s.fenceWait().reason() : null);
  }

  /** A VM as the API shows it. */
  public static VmInfo vm(VmState s) {
    if (s.spec() == null) {
      return new VmInfo(s.vmId(), s.phase().label(), null, s.hostId(), s.copyPercent(), s.appId(), s.reason(),
          placement(s.placement()));
    }
    RestartPolicy policy = s.spec().restartPolicy(s.serviceVm());
    String restart = policy.mode().label() + (policy.mode() == RestartMode.NEVER ? ""
        : ": " + policy.maxRestarts() + " restart" + (policy.maxRestarts() == 1 ? "" : "s") + " in place within "
        + RestartPolicy.text(policy.window()));
    Instant next = s.restarts().nextTry();
    return new VmInfo(s.vmId(), s.phase().label(), s.spec(), s.hostId(), s.copyPercent(), s.appId(), s.reason(),
        placement(s.placement()), restart, policy.restartsWithin(s.restarts().times(), Instant.now()),
        next != null && s.phase() == VmPhase.PLACED ? next : null,
        s.dataLoss() == null ? null : s.dataLoss().reason());
  }

  /** A placement decision as the API shows it. */
  public static PlacementInfo placement(PlacementDecision d) {
    if (d == null) return null;
    List<PlacementInfo.Verdict> verdicts = d.verdicts().stream()
        .map((HostVerdict v) -> new PlacementInfo.Verdict(v.hostId(), v.outcome().label(), v.filter(), v.reason(),
            v.score()))
        .toList();
    return new PlacementInfo(d.chosenHost(), d.summary(), verdicts);
  }

  /** An application as the API shows it. */
  public static AppInfo app(AppState s) {
    List<AppInfo.Replica> replicas = new ArrayList<>();
    for (String vmId : s.replicaVmIds()) {
      AppState.Replica r = s.vms().get(vmId);
      replicas.add(r == null ? new AppInfo.Replica(vmId, "not created", null)
          : new AppInfo.Replica(vmId, r.phase().label(), r.hostId()));
    }
    return new AppInfo(s.appId(), s.kind(), s.replicas(), s.vm(), List.copyOf(s.services()), s.status(), s.running(),
        replicas);
  }

  /** A service as the API shows it, with its applications' latest states when known. */
  public static ServiceInfo service(ServiceState s, List<ServiceEntity.AppStatus> apps) {
    List<ServiceInfo.AppStatus> statuses = apps.stream()
        .map(a -> new ServiceInfo.AppStatus(a.app(), a.status(), a.running(), a.replicas()))
        .toList();
    return new ServiceInfo(s.name(), s.spec(), s.started() ? "started" : "stopped", s.availability().label(),
        s.reason(), StartOrder.levels(s.spec()), statuses);
  }

  /** A service as the API shows it. */
  public static ServiceInfo service(ServiceEntity.ServiceView v) {
    return service(v.state(), v.apps());
  }
}
