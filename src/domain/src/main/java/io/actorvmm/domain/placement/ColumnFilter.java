package io.actorvmm.domain.placement;

/**
 * A built-in filter's rule over {@link HostColumns}: the same rule as its {@link HostFilter}, applied to
 * a batch of hosts at once. The engine uses it when a filter has one; the filter's own methods stay the
 * reference for the reasons shown to users.
 */
interface ColumnFilter {

  /** How many short-reason variants a filter may use: 0..VARIANTS-1. */
  int VARIANTS = 256;

  /**
   * Keeps in {@code idx[0..n)} the hosts that pass, in order, and returns how many; for each rejected
   * host {@code i} writes {@code code} to {@code rejectedBy[i]} and counts it in {@code counts[variant]},
   * the variant naming its short reason.
   */
  int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts);

  /** The short reason of a variant. */
  String shortReason(PlacementContext c, int variant);

  /** False when this request is beyond what the column form can tell apart; the engine then asks the host views. */
  default boolean handles(PlacementContext c) {
    return true;
  }
}
