package io.actorvmm.domain.placement;

import io.actorvmm.domain.Resources;

/** A host must have free cpu, memory, storage and network for the VM's demand. */
public final class CapacityFilter implements HostFilter {

  /** Short reason prefix, followed by the first lacking resource: "lacked memory". */
  public static final String LACKED = "lacked ";

  /** The filter's name. */
  @Override
  public String name() {
    return "capacity";
  }

  /** null when the demand fits, else the first lacking resource with need and free: "lacked memory (needs 4096 MiB, 1024 free)". */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    Resources need = r.spec().demand();
    Resources free = h.free();
    String lacking = free.shortfall(need);
    if (lacking == null) return null;
    return switch (lacking) {
      case "cpu" -> detail(lacking, need.cpuCores(), free.cpuCores(), "cores");
      case "memory" -> detail(lacking, need.memoryMiB(), free.memoryMiB(), "MiB");
      case "storage" -> detail(lacking, need.storageGiB(), free.storageGiB(), "GiB");
      default -> detail(lacking, need.networkMbit(), free.networkMbit(), "Mbit");
    };
  }

  /** "lacked X" for the first lacking resource, so a summary counts hosts per resource. */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    String lacking = h.free().shortfall(r.spec().demand());
    return lacking == null ? null : LACKED + lacking;
  }

  private static String detail(String resource, long needs, long free, String unit) {
    // an over-committed host can have less than nothing free; users should read 0, not a negative amount
    return LACKED + resource + " (needs " + needs + " " + unit + ", " + Math.max(0, free) + " free)";
  }
}
