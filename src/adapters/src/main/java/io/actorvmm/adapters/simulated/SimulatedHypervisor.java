package io.actorvmm.adapters.simulated;

import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.Capability;
import io.actorvmm.adapters.HostInventory;
import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.VmRuntimeState;
import io.actorvmm.adapters.VmStatistics;
import io.actorvmm.domain.VmSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * An in-memory, deterministic virtual layer for demos, tests and scale runs. Copy and boot take
 * configurable durations (zero answers at once), capacity is configurable, and faults can be
 * injected: fail the next start or copy, or crash the whole host.
 */
public final class SimulatedHypervisor implements HypervisorAdapter {

  /** How a simulated host behaves. */
  public record Settings(HostInventory inventory, Duration copyDuration, Duration bootDuration, int progressSteps) {

    /** Zero delays with the given inventory. */
    public static Settings instant(HostInventory inventory) {
      return new Settings(inventory, Duration.ZERO, Duration.ZERO, 1);
    }
  }

  private final Settings settings;
  private final Map<String, VmSpec> specs = new ConcurrentHashMap<>();
  private final Map<String, VmRuntimeState> states = new ConcurrentHashMap<>();
  private final Map<String, Double> activity = new ConcurrentHashMap<>();
  private final Set<String> failNextStart = ConcurrentHashMap.newKeySet();
  private final Set<String> failNextCopy = ConcurrentHashMap.newKeySet();
  private volatile boolean alive = true;
  private final ScheduledExecutorService timer;

  /** A simulated host with these settings. */
  public SimulatedHypervisor(Settings settings) {
    this.settings = settings;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simulated-hypervisor");
      t.setDaemon(true);
      return t;
    });
  }

  /** Fault injection: the next start of {@code vmId} ("*" for any VM) fails. */
  public void failNextStart(String vmId) {
    failNextStart.add(vmId);
  }

  /** Fault injection: the next copy of {@code vmId} ("*" for any VM) fails half-way. */
  public void failNextCopy(String vmId) {
    failNextCopy.add(vmId);
  }

  /** Fault injection: the host crashes; every VM on it stops existing and every later call fails. */
  public void crash() {
    alive = false;
    states.replaceAll((id, s) -> VmRuntimeState.CRASHED);
  }

  /** Sets the CPU activity (percent) a VM reports, as a load generator would cause. */
  public void setActivity(String vmId, double cpuPercent) {
    activity.put(vmId, cpuPercent);
  }

  @Override
  public String kind() {
    return "simulated";
  }

  @Override
  public HostInventory inventory() {
    return settings.inventory();
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.COLD_MOVE, Capability.LIVE_MIGRATION, Capability.STATISTICS);
  }

  @Override
  public void define(String vmId, VmSpec spec) {
    requireAlive();
    specs.put(vmId, spec);
    states.putIfAbsent(vmId, VmRuntimeState.DEFINED);
  }

  @Override
  public CompletionStage<Void> copyImage(String vmId, VmSpec spec, IntConsumer progressPercent) {
    requireAlive();
    requireDefined(vmId);
    states.put(vmId, VmRuntimeState.COPYING);
    boolean fail = takeFault(failNextCopy, vmId);
    int steps = Math.max(1, settings.progressSteps());
    long stepNanos = settings.copyDuration().toNanos() / steps;
    CompletableFuture<Void> done = new CompletableFuture<>();
    copyStep(vmId, progressPercent, fail, 1, steps, stepNanos, done);
    return done;
  }

  private void copyStep(String vmId, IntConsumer progress, boolean fail, int step, int steps, long stepNanos,
                        CompletableFuture<Void> done) {
    Runnable work = () -> {
      if (!alive) {
        done.completeExceptionally(new AdapterException("host crashed during copy"));
        return;
      }
      if (fail && step * 2 > steps) {
        states.put(vmId, VmRuntimeState.DEFINED);
        done.completeExceptionally(new AdapterException("copy of " + vmId + " failed (injected fault)"));
        return;
      }
      progress.accept(step * 100 / steps);
      if (step == steps) {
        states.put(vmId, VmRuntimeState.READY);
        done.complete(null);
      } else {
        copyStep(vmId, progress, fail, step + 1, steps, stepNanos, done);
      }
    };
    later(stepNanos, work);
  }

  @Override
  public CompletionStage<Void> start(String vmId) {
    requireAlive();
    requireDefined(vmId);
    states.put(vmId, VmRuntimeState.BOOTING);
    boolean fail = takeFault(failNextStart, vmId);
    CompletableFuture<Void> done = new CompletableFuture<>();
    later(settings.bootDuration().toNanos(), () -> {
      if (!alive) {
        done.completeExceptionally(new AdapterException("host crashed during boot"));
      } else if (fail) {
        states.put(vmId, VmRuntimeState.STOPPED);
        done.completeExceptionally(new AdapterException("start of " + vmId + " failed (injected fault)"));
      } else {
        states.put(vmId, VmRuntimeState.RUNNING);
        done.complete(null);
      }
    });
    return done;
  }

  @Override
  public CompletionStage<Void> stop(String vmId) {
    requireAlive();
    requireDefined(vmId);
    states.put(vmId, VmRuntimeState.STOPPED);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void destroy(String vmId) {
    requireAlive();
    specs.remove(vmId);
    states.remove(vmId);
    activity.remove(vmId);
  }

  @Override
  public VmRuntimeState status(String vmId) {
    return states.getOrDefault(vmId, VmRuntimeState.UNKNOWN);
  }

  @Override
  public VmStatistics statistics(String vmId) {
    VmSpec spec = specs.get(vmId);
    if (spec == null || status(vmId) != VmRuntimeState.RUNNING) return VmStatistics.NONE;
    return new VmStatistics(activity.getOrDefault(vmId, 0.0), spec.memoryMiB() / 2, spec.diskGiB(), 0);
  }

  @Override
  public boolean hostAlive() {
    return alive;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private void later(long nanos, Runnable work) {
    if (nanos <= 0) {
      work.run();
    } else {
      timer.schedule(work, nanos, TimeUnit.NANOSECONDS);
    }
  }

  private static boolean takeFault(Set<String> faults, String vmId) {
    return faults.remove(vmId) || faults.remove("*");
  }

  private void requireAlive() {
    if (!alive) throw new AdapterException("host has crashed");
  }

  private void requireDefined(String vmId) {
    if (!specs.containsKey(vmId)) throw new AdapterException("vm " + vmId + " is not defined on this host");
  }
}
