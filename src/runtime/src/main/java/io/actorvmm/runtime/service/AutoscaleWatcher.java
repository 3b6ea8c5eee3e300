package io.actorvmm.runtime.service;

import io.actorvmm.domain.service.ActivitySample;
import io.actorvmm.domain.service.AutoscaleRule;
import io.actorvmm.domain.service.Autoscaler;
import io.actorvmm.domain.service.ScaleStep;
import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.activity.ActivityTopic;
import io.actorvmm.runtime.activity.VmActivity;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.app.AppState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A service's child that keeps one autoscaling rule: it listens to the hosts' activity measurements
 * of the rule's application, records every interval the mean activity of the replicas that run,
 * asks the domain's {@link Autoscaler} for a step, and tells the service to scale when a step is due.
 * After a step it starts a new window, so each step is decided on activity measured after the last.
 */
public final class AutoscaleWatcher {

  /** What the watcher accepts. */
  public interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Measured(VmActivity activity) implements Command {}

  private record Replicas(AppState state) implements Command {}

  // a measurement older than this no longer describes a replica (it stopped, or its host went quiet)
  private static final Duration FRESH = Duration.ofSeconds(3);

  private final AutoscaleRule rule;
  private final ActorRef<ServiceEntity.Command> service;
  private final ActorContext<Command> context;
  private final EntityRefs refs;
  private final Duration interval;
  private final Map<String, VmActivity> latest = new HashMap<>();
  private final List<ActivitySample> samples = new ArrayList<>();
  private AppState app;

  private AutoscaleWatcher(AutoscaleRule rule, ActorRef<ServiceEntity.Command> service, ActorContext<Command> context,
                           EntityRefs refs, Duration interval) {
    this.rule = rule;
    this.service = service;
    this.context = context;
    this.refs = refs;
    this.interval = interval;
  }

  /** The watcher of {@code rule}, reporting to {@code service}, deciding every {@code interval}. */
  public static Behavior<Command> create(AutoscaleRule rule, ActorRef<ServiceEntity.Command> service, EntityRefs refs,
                                         Duration interval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      ActorRef<VmActivity> adapter = ctx.messageAdapter(VmActivity.class, Measured::new);
      ActivityTopic.get(ctx.getSystem()).subscribe(adapter);
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      AutoscaleWatcher w = new AutoscaleWatcher(rule, service, ctx, refs, interval);
      return Behaviors.receive(Command.class)
          .onMessage(Measured.class, m -> w.onMeasured(m.activity()))
          .onMessage(Replicas.class, r -> {
            w.app = r.state();
            return Behaviors.same();
          })
          .onMessage(Tick.class, t -> w.onTick())
          .onSignal(PostStop.class, s -> {
            ActivityTopic.get(ctx.getSystem()).unsubscribe(adapter);
            return Behaviors.same();
          })
          .build();
    }));
  }

  private Behavior<Command> onMeasured(VmActivity a) {
    if (rule.app().equals(a.appId())) latest.put(a.vmId(), a);
    return Behaviors.same();
  }

  private Behavior<Command> onTick() {
    context.ask(AppState.class, refs.app(rule.app()), interval, AppEntity.Get::new,
        (s, err) -> new Replicas(s != null ? s : app));
    Instant now = Instant.now();
    long freshAfter = now.toEpochMilli() - FRESH.toMillis();
    latest.values().removeIf(a -> a.atMillis() < freshAfter);
    if (app == null || app.wantedBy().isEmpty() || latest.isEmpty()) return Behaviors.same();
    double sum = 0;
    int n = 0;
    for (VmActivity a : latest.values()) {
      sum += a.activity();
      n++;
    }
    samples.add(new ActivitySample(now, sum / n));
    // keep what the rule's window needs: the newest sample at or before the window's start and every later one
    Instant start = now.minus(rule.window());
    while (samples.size() > 1 && !samples.get(1).at().isAfter(start)) samples.remove(0);
    ScaleStep step = Autoscaler.decide(rule, samples, app.replicas(), now);
    if (step.changes()) {
      service.tell(new ServiceEntity.ScaleApp(rule.app(), app.replicas() + step.delta(), step.reason()));
      samples.clear();
      latest.clear();
    }
    return Behaviors.same();
  }
}
