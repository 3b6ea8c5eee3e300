package io.actorvmm.runtime.activity;

import io.actorvmm.adapters.HypervisorAdapter;
import io.actorvmm.adapters.VmStatistics;
import io.actorvmm.domain.VmPhase;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Part of a host's control program: every interval it reads the statistics of the VMs running on
 * its host from the virtual layer and publishes each VM's activity on the {@link ActivityTopic}.
 * Which VMs run here comes from the node's inventory read side.
 */
public final class ActivityReporter {

  private enum Tick { INSTANCE }

  private ActivityReporter() {}

  /** The reporter of host {@code hostId}, publishing every {@code interval}. */
  public static Behavior<Object> create(String hostId, HypervisorAdapter adapter, Supplier<List<VmState>> vms,
                                        Duration interval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      ActivityTopic topic = ActivityTopic.get(ctx.getSystem());
      return Behaviors.receiveMessage(m -> {
        if (!adapter.hostAlive()) return Behaviors.same();
        long now = System.currentTimeMillis();
        for (VmState v : vms.get()) {
          if (v.phase() != VmPhase.RUNNING || !hostId.equals(v.hostId())) continue;
          try {
            VmStatistics s = adapter.statistics(v.vmId());
            topic.publish(new VmActivity(v.vmId(), hostId, v.appId(), s.cpuPercent(), now));
          } catch (RuntimeException e) {
            // a VM that just stopped has no statistics; the next round no longer lists it
          }
        }
        return Behaviors.same();
      });
    }));
  }
}
