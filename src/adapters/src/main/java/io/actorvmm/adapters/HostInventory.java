package io.actorvmm.adapters;

import io.actorvmm.domain.Resources;
import java.util.List;

/** What a host's virtual layer reports about the machine: its capacity and the runtime types it offers. */
public record HostInventory(Resources capacity, List<String> runtimes) {

  /** Copies the runtime list so the record stays immutable. */
  public HostInventory {
    runtimes = List.copyOf(runtimes);
  }
}
