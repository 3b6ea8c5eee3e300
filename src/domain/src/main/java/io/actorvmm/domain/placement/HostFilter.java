package io.actorvmm.domain.placement;

/** One hard rule a host must pass to receive a VM. */
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
}
