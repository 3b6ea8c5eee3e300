package io.actorvmm.runtime;

import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.vm.VmEntity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.RecipientRef;

/** {@link EntityRefs} backed by one test probe per entity id, so a test sees what an entity sends to others. */
public final class ProbeRefs implements EntityRefs {

  private final ActorTestKit kit;
  private final Map<String, TestProbe<HostEntity.Command>> hosts = new ConcurrentHashMap<>();
  private final Map<String, TestProbe<VmEntity.Command>> vms = new ConcurrentHashMap<>();
  private final Map<String, TestProbe<AppEntity.Command>> apps = new ConcurrentHashMap<>();
  private final Map<String, TestProbe<ServiceEntity.Command>> services = new ConcurrentHashMap<>();

  /** Probes created in {@code kit}'s actor system. */
  public ProbeRefs(ActorTestKit kit) {
    this.kit = kit;
  }

  /** The probe standing for host {@code id}. */
  public TestProbe<HostEntity.Command> hostProbe(String id) {
    return hosts.computeIfAbsent(id, k -> kit.createTestProbe());
  }

  /** The probe standing for VM {@code id}. */
  public TestProbe<VmEntity.Command> vmProbe(String id) {
    return vms.computeIfAbsent(id, k -> kit.createTestProbe());
  }

  /** The probe standing for application {@code id}. */
  public TestProbe<AppEntity.Command> appProbe(String id) {
    return apps.computeIfAbsent(id, k -> kit.createTestProbe());
  }

  /** The probe standing for service {@code id}. */
  public TestProbe<ServiceEntity.Command> serviceProbe(String id) {
    return services.computeIfAbsent(id, k -> kit.createTestProbe());
  }

  /** The ids of every application something was (or will be) sent to. */
  public java.util.Set<String> appIds() {
    return java.util.Set.copyOf(apps.keySet());
  }

  @Override
  public RecipientRef<HostEntity.Command> host(String id) {
    return hostProbe(id).ref();
  }

  @Override
  public RecipientRef<VmEntity.Command> vm(String id) {
    return vmProbe(id).ref();
  }

  @Override
  public RecipientRef<AppEntity.Command> app(String id) {
    return appProbe(id).ref();
  }

  @Override
  public RecipientRef<ServiceEntity.Command> service(String id) {
    return serviceProbe(id).ref();
  }
}
