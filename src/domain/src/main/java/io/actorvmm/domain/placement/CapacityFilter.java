package io.actorvmm.domain.placement;

import io.actorvmm.domain.Resources;

/** A host must have free cpu, memory, storage and network for the VM's demand. */
public final class CapacityFilter implements HostFilter {

  /** Short reason prefix, followed by the first lacking resource: "lacked memory". */
  public static final String LACKED = "lacked ";

  private static final String LACKED_CPU = LACKED + "cpu";
  private static final String LACKED_MEMORY = LACKED + "memory";
  private static final String LACKED_STORAGE = LACKED + "storage";
  private static final String LACKED_NETWORK = LACKED + "network";

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

  /** True when every resource the VM needs is free, computed without allocating. */
  @Override
  public boolean passes(PlacementContext c, HostCandidate h) {
    Resources cap = h.spec().capacity();
    if (cap == null) cap = Resources.ZERO;
    Resources used = h.used();
    return cap.cpuCores() - used.cpuCores() >= c.cpu() && cap.memoryMiB() - used.memoryMiB() >= c.memory()
        && cap.storageGiB() - used.storageGiB() >= c.storage() && cap.networkMbit() - used.networkMbit() >= c.network();
  }

  /** "lacked X" for the first lacking resource, so a summary counts hosts per resource. */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    String lacking = h.free().shortfall(r.spec().demand());
    if (lacking == null) return null;
    // constants, so a summary over thousands of hosts does not build a string per host
    return switch (lacking) {
      case "cpu" -> LACKED_CPU;
      case "memory" -> LACKED_MEMORY;
      case "storage" -> LACKED_STORAGE;
      default -> LACKED_NETWORK;
    };
  }

  private static String detail(String resource, long needs, long free, String unit) {
    // an over-committed host can have less than nothing free; users should read 0, not a negative amount
    return LACKED + resource + " (needs " + needs + " " + unit + ", " + Math.max(0, free) + " free)";
  }

  /** The rule over host columns; variants 0..3 are cpu, memory, storage, network, the order {@link Resources#shortfall} checks. */
  static final ColumnFilter COLUMN = new ColumnFilter() {
    @Override
    public int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts) {
      int cpu = c.cpu();
      long memory = c.memory();
      long storage = c.storage();
      long network = c.network();
      int[] capCpu = cols.capCpu;
      int[] usedCpu = cols.usedCpu;
      long[] capMemory = cols.capMemory;
      long[] usedMemory = cols.usedMemory;
      long[] freeStorage = cols.freeStorage;
      long[] freeNetwork = cols.freeNetwork;
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        int v = capCpu[i] - usedCpu[i] < cpu ? 0 : capMemory[i] - usedMemory[i] < memory ? 1
            : freeStorage[i] < storage ? 2 : freeNetwork[i] < network ? 3 : -1;
        if (v < 0) {
          idx[kept++] = i;
        } else {
          rejectedBy[i] = code;
          counts[v]++;
        }
      }
      return kept;
    }

    @Override
    public String shortReason(PlacementContext c, int variant) {
      return switch (variant) {
        case 0 -> LACKED_CPU;
        case 1 -> LACKED_MEMORY;
        case 2 -> LACKED_STORAGE;
        default -> LACKED_NETWORK;
      };
    }
  };
}
