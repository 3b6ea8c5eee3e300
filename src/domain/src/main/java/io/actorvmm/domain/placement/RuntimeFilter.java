package io.actorvmm.domain.placement;

/** A host must offer the runtime type the VM runs on. */
public final class RuntimeFilter implements HostFilter {

  /** Reason prefix, followed by the runtime the VM asks for. */
  public static final String MISSING = "does not offer runtime ";

  /** The filter's name. */
  @Override
  public String name() {
    return "runtime";
  }

  /** null when the host lists the VM's runtime, else "does not offer runtime X". */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    String runtime = r.spec().runtime();
    // immutable lists throw on contains(null); a VM without a runtime fits nowhere
    boolean offered = runtime != null && h.spec().runtimes().contains(runtime);
    return offered ? null : MISSING + runtime;
  }
}
