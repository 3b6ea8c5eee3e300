package io.actorvmm.adapters.support;

import io.actorvmm.adapters.VmRuntimeState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** The state-change listeners of one adapter; a failing listener does not stop the others. */
public final class Listeners {

  private final List<BiConsumer<String, VmRuntimeState>> all = new CopyOnWriteArrayList<>();

  /** Adds a listener. */
  public void add(BiConsumer<String, VmRuntimeState> listener) {
    all.add(listener);
  }

  /** Tells every listener that {@code vmId} is now {@code state}. */
  public void fire(String vmId, VmRuntimeState state) {
    for (var l : all) {
      try {
        l.accept(vmId, state);
      } catch (RuntimeException e) {
        System.getLogger(Listeners.class.getName()).log(System.Logger.Level.WARNING,
            "state listener failed for " + vmId + ": " + e);
      }
    }
  }
}
