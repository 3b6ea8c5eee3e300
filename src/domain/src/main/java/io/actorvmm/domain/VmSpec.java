package io.actorvmm.domain;

import io.actorvmm.domain.restart.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a VM needs: its resources, the runtime type it runs on, its image, whether it may move, the
 * security level its host must reach, its site rules, its data policy, its restart priority after a
 * host loss, (for the "process" runtime) the program it runs, and its restart policy when it is found
 * not running ({@code restart}: always, on-failure or never; {@code maxRestarts} in place within
 * {@code restartWindow}; null for the defaults, see {@link RestartPolicy}).
 *
 * <p>Site rules: {@code site} names the site the VM belongs to (null: any). A VM that is not
 * relocatable stays on its site. {@code localSitesOnly} excludes remote sites (every site but
 * {@value HostSpec#LOCAL_SITE}).
 */
public record VmSpec(int cpuCores, long memoryMiB, long diskGiB, long networkMbit, String runtime,
                     String image, boolean relocatable, int securityLevel, String site, boolean localSitesOnly,
                     DataPolicy data, int restartPriority, ProgramSpec program, String restart,
                     Integer maxRestarts, Duration restartWindow) {

  /** Fills defaults: data LOCAL. */
  public VmSpec {
    data = data == null ? DataPolicy.LOCAL : data;
    site = site == null || site.isBlank() ? null : site;
  }

  /** A VM with the default restart policy. */
  public VmSpec(int cpuCores, long memoryMiB, long diskGiB, long networkMbit, String runtime, String image,
                boolean relocatable, int securityLevel, String site, boolean localSitesOnly, DataPolicy data,
                int restartPriority, ProgramSpec program) {
    this(cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image, relocatable, securityLevel, site, localSitesOnly,
        data, restartPriority, program, null, null, null);
  }

  /** A VM with no site rules, local data, priority 0 and no program. */
  public VmSpec(int cpuCores, long memoryMiB, long diskGiB, long networkMbit, String runtime, String image,
                boolean relocatable, int securityLevel) {
    this(cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image, relocatable, securityLevel, null, false,
        DataPolicy.LOCAL, 0, null);
  }

  /** The resources a host reserves for this VM. */
  public Resources demand() {
    return new Resources(cpuCores, memoryMiB, diskGiB, networkMbit);
  }

  /** This spec with another program. */
  public VmSpec withProgram(ProgramSpec p) {
    return new VmSpec(cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image, relocatable, securityLevel, site,
        localSitesOnly, data, restartPriority, p, restart, maxRestarts, restartWindow);
  }

  /** This spec bound to {@code site}. */
  public VmSpec withSite(String s, boolean localOnly) {
    return new VmSpec(cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image, relocatable, securityLevel, s,
        localOnly, data, restartPriority, program, restart, maxRestarts, restartWindow);
  }

  /** This spec with a data policy and restart priority. */
  public VmSpec withData(DataPolicy d, int priority) {
    return new VmSpec(cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image, relocatable, securityLevel, site,
        localSitesOnly, d, priority, program, restart, maxRestarts, restartWindow);
  }

  /** This spec with a restart policy (null fields: the defaults). */
  public VmSpec withRestart(String mode, Integer max, Duration window) {
    return new VmSpec(cpuCores, memoryMiB, diskGiB, networkMbit, runtime, image, relocatable, securityLevel, site,
        localSitesOnly, data, restartPriority, program, mode, max, window);
  }

  /** The restart policy this spec states, with defaults for what it leaves out; a service's VMs default to always. */
  public RestartPolicy restartPolicy(boolean serviceVm) {
    return RestartPolicy.of(restart, maxRestarts, restartWindow, serviceVm);
  }

  /** Every problem with this spec as one-line messages; empty when it is valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (cpuCores <= 0) out.add("cpu must be at least 1");
    else add(out, Limits.range("cpu", cpuCores, 1, Limits.MAX_CPU_CORES));
    if (memoryMiB <= 0) out.add("memory must be above zero");
    else add(out, Limits.range("memory", memoryMiB, 1, Limits.MAX_MEMORY_MIB));
    if (diskGiB < 0) out.add("disk must not be negative");
    else add(out, Limits.range("disk", diskGiB, 0, Limits.MAX_DISK_GIB));
    if (networkMbit < 0) out.add("network must not be negative");
    else add(out, Limits.range("network", networkMbit, 0, Limits.MAX_NETWORK_MBIT));
    add(out, Limits.runtime(runtime));
    add(out, Limits.text("image", image));
    if (securityLevel < 0) out.add("security level must not be negative");
    else add(out, Limits.range("security level", securityLevel, 0, Limits.MAX_SECURITY_LEVEL));
    add(out, Limits.text("site", site));
    if (restartPriority < 0) out.add("restart priority must not be negative");
    else add(out, Limits.range("restart priority", restartPriority, 0, Limits.MAX_RESTART_PRIORITY));
    if (program != null) out.addAll(program.problems());
    out.addAll(RestartPolicy.problems(restart, maxRestarts, restartWindow));
    if ("process".equals(runtime) && program == null) out.add("a process VM needs a program");
    return out;
  }

  private static void add(List<String> out, String problem) {
    if (problem != null) out.add(problem);
  }
}
