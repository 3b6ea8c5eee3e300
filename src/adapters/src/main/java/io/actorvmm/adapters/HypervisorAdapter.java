package io.actorvmm.adapters;

import io.actorvmm.domain.VmSpec;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;

/**
 * The port through which a host's control program drives its virtual layer (a hypervisor or a
 * program runtime). Long operations complete asynchronously; failures complete exceptionally with
 * an {@link AdapterException} whose message is the user-facing reason.
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

  @Override
  default void close() {}
}
