package io.actorvmm.domain.service;

import io.actorvmm.domain.VmSpec;
import java.util.List;

/** Small builders shared by the service tests. */
final class Services {
  private Services() {}

  /** A valid VM spec. */
  static final VmSpec VM = new VmSpec(1, 1024, 10, 100, "qemu", "img", true, 0);

  /** An app with one replica starting after {@code after}. */
  static AppRequirement app(String name, String... after) {
    return app(name, 1, after);
  }

  /** An app with {@code replicas} replicas starting after {@code after}. */
  static AppRequirement app(String name, int replicas, String... after) {
    return new AppRequirement(name, "generic", replicas, VM, List.of(after));
  }

  /** A service without rules. */
  static ServiceSpec service(String name, AppRequirement... apps) {
    return new ServiceSpec(name, List.of(apps), ServiceRules.NONE);
  }

  /** The patent's e-commerce service: web x2 on distinct hosts, db, and payment after db. */
  static ServiceSpec shop() {
    return new ServiceSpec("shop", List.of(app("web", 2), app("db"), app("payment", "db")),
        new ServiceRules(List.of("web")));
  }
}
