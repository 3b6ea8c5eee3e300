package io.actorvmm.domain.placement;

/**
 * One hard rule a host must pass to receive a VM.
 *
 * <p>The engine calls the {@link PlacementContext} forms, which default to the request forms; a filter
 * that needs a cluster-wide fact (affinity) or wants a cheap test without building a reason overrides them.
 */
public interface HostFilter {

  /** The filter's name, recorded in a rejected host's verdict. */
  String name();

  /** null when the host passes, else the one-line reason. */
  String reject(PlacementRequest r, HostCandidate h);

  /**
   * The short reason a summary groups rejections by (e.g. "lacked memory"); call only for a rejected host.
   * Defaults to the full reason, which suits filters whose reasons carry no per-host details.
   */
  default String shortReason(PlacementRequest r, HostCandidate h) {
    return reject(r, h);
  }

  /** True when the host passes; the engine's hot loop calls only this, so it should not build text. */
  default boolean passes(PlacementContext c, HostCandidate h) {
    return reject(c, h) == null;
  }

  /** null when the host passes within this decision's context, else the one-line reason. */
  default String reject(PlacementContext c, HostCandidate h) {
    return reject(c.request(), h);
  }

  /** The short reason within this decision's context; call only for a rejected host. */
  default String shortReason(PlacementContext c, HostCandidate h) {
    return shortReason(c.request(), h);
  }
}
