package io.actorvmm.domain;

/** What a host charges: per CPU-second used, per GiB stored, per GiB transferred. */
public record CostRates(double perCpuSecond, double perGiBStored, double perGiBTransferred) {

  /** A host that charges nothing. */
  public static final CostRates FREE = new CostRates(0, 0, 0);
}
