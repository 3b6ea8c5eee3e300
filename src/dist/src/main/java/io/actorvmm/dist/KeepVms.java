package io.actorvmm.dist;

/**
 * What {@code --keep-vms-running} answers until the node can pass the choice to its hosts: the
 * process and QEMU adapters take a {@code keepRunning} option, but the node settings have no field
 * to carry it, so the node would stop the VMs anyway. Refusing the option says so instead of
 * silently stopping VMs the operator asked to keep.
 */
final class KeepVms {
  /** The one-line refusal. */
  static final String UNSUPPORTED = "--keep-vms-running is not available in this build yet: the node cannot pass it "
      + "to its hosts, which stop their VMs with the node";

  private KeepVms() {}
}
