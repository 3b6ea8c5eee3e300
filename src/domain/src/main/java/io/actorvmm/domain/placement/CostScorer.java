package io.actorvmm.domain.placement;

import io.actorvmm.domain.CostRates;

/**
 * Prefer the host where the VM's expected use costs least, from the host's {@link CostRates}.
 *
 * <p>Expected cost per hour = cores × cpu share × 3600 × perCpuSecond + disk GiB × perGiBStored
 * (rates read as per hour) + transferred GiB per hour × perGiBTransferred; the cpu share and traffic
 * come from the request's {@link ExpectedUse}. The score is absolute, so it does not depend on which
 * other hosts take part: {@code 100 × reference / (reference + cost)}. A free host scores 100, one
 * costing the reference amount per hour scores 50, and a cheaper host always scores higher.
 */
public final class CostScorer implements HostScorer {

  /** The default reference cost per hour, the cost that scores 50. */
  public static final double DEFAULT_REFERENCE = 1.0;

  private final double reference;

  /** A cost scorer with the default reference. */
  public CostScorer() {
    this(DEFAULT_REFERENCE);
  }

  /** A cost scorer where a cost of {@code reference} per hour scores 50; must be above zero. */
  public CostScorer(double reference) {
    if (!(reference > 0) || Double.isInfinite(reference)) throw new IllegalArgumentException("cost reference must be above zero");
    this.reference = reference;
  }

  /** The scorer's name. */
  @Override
  public String name() {
    return "cost";
  }

  /** 0..100 from the expected cost per hour, higher for cheaper hosts. */
  @Override
  public double score(PlacementRequest r, HostCandidate h) {
    double cost = costPerHour(r, h.spec().costRates());
    return 100 * reference / (reference + cost);
  }

  /** The expected cost per hour of {@code r}'s VM on a host charging {@code rates}. */
  public static double costPerHour(PlacementRequest r, CostRates rates) {
    ExpectedUse use = r.expectedUse();
    double cpuSeconds = r.spec().cpuCores() * use.cpuShare() * 3600;
    // negative rates are refused when a host registers; clamp anyway so a score never leaves 0..100
    return Math.max(0, cpuSeconds * rates.perCpuSecond() + r.spec().diskGiB() * rates.perGiBStored()
        + use.transferGiBPerHour() * rates.perGiBTransferred());
  }

  /** The score over host columns, with this scorer's reference. */
  ColumnScorer column() {
    return (c, cols, idx, n, weight, total) -> {
      PlacementRequest r = c.request();
      double cpuSeconds = r.spec().cpuCores() * r.expectedUse().cpuShare() * 3600;
      double stored = r.spec().diskGiB();
      double transfer = r.expectedUse().transferGiBPerHour();
      double[] perCpu = cols.perCpuSecond;
      double[] perStored = cols.perGiBStored;
      double[] perTransfer = cols.perGiBTransferred;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        double cost = Math.max(0, cpuSeconds * perCpu[i] + stored * perStored[i] + transfer * perTransfer[i]);
        double s = 100 * reference / (reference + cost);
        // a rate that is not a number must not poison the ranking: it counts as no preference
        total[i] += weight * (Double.isNaN(s) ? 0 : s);
      }
    };
  }
}
