package io.actorvmm.runtime;

import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.host.HostEntity;
import io.actorvmm.runtime.service.ServiceEntity;
import io.actorvmm.runtime.vm.VmEntity;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** How entities reach each other: through sharding in the cluster, through probes in unit tests. */
public interface EntityRefs {

  /** The host entity {@code id}. */
  RecipientRef<HostEntity.Command> host(String id);

  /** The VM entity {@code id}. */
  RecipientRef<VmEntity.Command> vm(String id);

  /** The application entity {@code id}. */
  RecipientRef<AppEntity.Command> app(String id);

  /** The service entity {@code id}. */
  RecipientRef<ServiceEntity.Command> service(String id);

  /** References through cluster sharding. */
  static EntityRefs sharded(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return new EntityRefs() {
      @Override
      public RecipientRef<HostEntity.Command> host(String id) {
        return sharding.entityRefFor(HostEntity.ENTITY_KEY, id);
      }

      @Override
      public RecipientRef<VmEntity.Command> vm(String id) {
        return sharding.entityRefFor(VmEntity.ENTITY_KEY, id);
      }

      @Override
      public RecipientRef<AppEntity.Command> app(String id) {
        return sharding.entityRefFor(AppEntity.ENTITY_KEY, id);
      }

      @Override
      public RecipientRef<ServiceEntity.Command> service(String id) {
        return sharding.entityRefFor(ServiceEntity.ENTITY_KEY, id);
      }
    };
  }
}
