package io.actorvmm.adapters;

import io.actorvmm.domain.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The port through which a host's control program drives its virtual layer (a hypervisor or a
 * program runtime). Long operations complete asynchronously; failures complete exceptionally with
 * an {@link AdapterException} whose message is the user-facing reason.
 *
 * <p>Optional operations belong to a {@link Capability}: an adapter lists in {@link #capabilities()}
 * exactly those it supports, and the others fail with an {@link AdapterException} reading
 * "&lt;operation&gt; is not supported by &lt;kind&gt;" (the defaults below).
 */
public interface HypervisorAdapter extends AutoCloseable {

  /** The adapter's kind, e.g. "simulated", "qemu". */
  String kind();

  /** What this host offers: capacity and runtime types. */
  HostInventory inventory();

  /** The operations this adapter supports; callers check before asking for an optional one. */
  Set<Capability> capabilities();

  /** Declares a VM on this host (idempotent for the same id and spec). */
  void define(String vmId, VmSpec spec);

  /** Establishes the VM's image and data on this host, reporting progress in percent (0..100). */
  CompletionStage<Void> copyImage(String vmId, VmSpec spec, IntConsumer progressPercent);

  /** Boots the VM; completes when it runs. */
  CompletionStage<Void> start(String vmId);

  /** Stops the VM; completes when it no longer runs. */
  CompletionStage<Void> stop(String vmId);

  /** Forgets the VM and deletes its data on this host. */
  void destroy(String vmId);

  /** The VM's state as the virtual layer sees it. */
  VmRuntimeState status(String vmId);

  /** Use figures of a running VM. */
  VmStatistics statistics(String vmId);

  /** True while the host itself works; false once it has crashed. */
  boolean hostAlive();

  /**
   * The ids of the VMs this host's virtual layer knows (defined, holding data, or running), so its
   * control program can stop the ones no longer assigned here after it comes back; empty when the
   * adapter cannot tell.
   */
  default Set<String> vmIds() {
    return Set.of();
  }

  /**
   * Every VM this host's virtual layer knows (defined, holding data, or running), with its state and
   * whether its data is here, including VMs left from an earlier run of this node that the adapter
   * adopted. The control program compares this with what its journal says the host runs, from an
   * actor thread every few seconds: implementations answer from what they hold in memory or with one
   * cheap query of the virtual layer, never one external process per VM.
   */
  default List<ObservedVm> list() {
    List<ObservedVm> out = new ArrayList<>();
    for (String id : vmIds()) {
      VmRuntimeState state = status(id);
      if (state == VmRuntimeState.UNKNOWN) continue; // gone between the two calls
      boolean data;
      try {
        data = hasData(id);
      } catch (AdapterException unsupported) {
        data = false; // an adapter without data lookup cannot say; the caller reads "no data here"
      }
      out.add(new ObservedVm(id, state, data));
    }
    return out;
  }

  /**
   * VMs of this virtual layer's kind that run on this machine but that this adapter did not create (no
   * files of ours), by name or as {@code "pid <n>"} when nameless: listed for the operator, never
   * touched. Empty when the adapter cannot tell or the kind has no such thing.
   */
  default List<String> unmanaged() {
    return List.of();
  }

  // ---- cold move (COLD_MOVE) -------------------------------------------------------------------

  /**
   * Establishes the data of a stopped VM (image and data files) as a bundle another host can import,
   * reporting progress in percent. Fails when the VM runs or has no data here.
   */
  default CompletionStage<DataBundle> exportData(String vmId, IntConsumer progressPercent) {
    return CompletableFuture.failedFuture(AdapterException.unsupported("export of data", kind()));
  }

  /**
   * Copies a bundle exported by another host into this host's data for {@code vmId}, defining the
   * VM here with {@code spec}, reporting progress in percent. Afterwards the VM is READY here.
   */
  default CompletionStage<Void> importData(String vmId, VmSpec spec, DataBundle bundle,
                                           IntConsumer progressPercent) {
    return CompletableFuture.failedFuture(AdapterException.unsupported("import of data", kind()));
  }

  /** Deletes the VM's data on this host and keeps its definition; does nothing when there is none. */
  default void deleteData(String vmId) {
    throw AdapterException.unsupported("deletion of data", kind());
  }

  /** True when this host holds data of the VM. */
  default boolean hasData(String vmId) {
    throw AdapterException.unsupported("data lookup", kind());
  }

  // ---- live migration (LIVE_MIGRATION) -----------------------------------------------------------

  /** On the target host: gets ready to receive the running VM and says where the source sends it. */
  default CompletionStage<MigrationEndpoint> prepareIncoming(String vmId, VmSpec spec) {
    return CompletableFuture.failedFuture(AdapterException.unsupported("live migration", kind()));
  }

  /**
   * On the source host: moves the running VM to the target awaiting it at {@code to}, reporting
   * progress in percent. Completes when the VM runs on the target and is gone from this host; on
   * failure the VM keeps running here.
   */
  default CompletionStage<MigrationResult> migrateLive(String vmId, MigrationEndpoint to,
                                                       IntConsumer progressPercent) {
    return CompletableFuture.failedFuture(AdapterException.unsupported("live migration", kind()));
  }

  /** On the target host, after the source reported success: settles the VM, which then is RUNNING here. */
  default CompletionStage<Void> finishIncoming(String vmId) {
    return CompletableFuture.failedFuture(AdapterException.unsupported("live migration", kind()));
  }

  /** On the target host, after a failed or abandoned migration: removes whatever prepareIncoming set up. */
  default void abortIncoming(String vmId) {
    throw AdapterException.unsupported("live migration", kind());
  }

  // ---- events ------------------------------------------------------------------------------------

  /**
   * Registers a listener told of state changes a VM makes on its own, not as the outcome of a call on
   * this adapter: a program or hypervisor process that exits or crashes ({@link VmRuntimeState#CRASHED}),
   * a guest that powers itself off ({@link VmRuntimeState#STOPPED}). The listener receives the VM id and
   * its new state on an adapter thread and must not block. Adapters that cannot observe such changes
   * ignore the listener (the default); the caller then learns of them only through {@link #status}.
   */
  default void onStateChange(BiConsumer<String, VmRuntimeState> listener) {}

  @Override
  default void close() {}
}
