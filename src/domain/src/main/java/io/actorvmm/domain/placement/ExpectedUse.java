package io.actorvmm.domain.placement;

/**
 * How much a VM is expected to use, for the cost scorer: the share of its reserved cores it keeps
 * busy (0..1) and the GiB it transfers per hour.
 */
public record ExpectedUse(double cpuShare, double transferGiBPerHour) {

  /** A VM that keeps all its cores busy and whose traffic is unknown (counted as none). */
  public static final ExpectedUse DEFAULT = new ExpectedUse(1.0, 0);

  /** Clamps the share to 0..1 and the traffic to zero or more; NaN counts as the default. */
  public ExpectedUse {
    cpuShare = Double.isNaN(cpuShare) ? 1.0 : Math.max(0, Math.min(1, cpuShare));
    transferGiBPerHour = Double.isNaN(transferGiBPerHour) ? 0 : Math.max(0, transferGiBPerHour);
  }
}
