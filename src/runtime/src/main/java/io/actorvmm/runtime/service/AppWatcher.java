package io.actorvmm.runtime.service;

import io.actorvmm.runtime.EntityRefs;
import io.actorvmm.runtime.app.AppEntity;
import io.actorvmm.runtime.app.AppState;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A service's child actor for one application: follows the application's state (pushed by the
 * application, and polled so that nothing is missed after a crash or a move) and reports every
 * change to its service.
 */
public final class AppWatcher {

  /** What a watcher accepts. */
  public interface Command {}

  /** The application's latest state, pushed or polled. */
  public record Observed(String status, int running, int replicas) implements Command {}

  private enum Poll implements Command { INSTANCE }

  private record Polled(AppState state) implements Command {}

  private AppWatcher() {}

  /** A watcher of {@code app} reporting to {@code service}, polling every {@code interval}. */
  public static Behavior<Command> create(String app, ActorRef<ServiceEntity.Command> service, EntityRefs refs,
                                         Duration interval) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Poll.INSTANCE, Duration.ZERO, interval);
      Observed[] last = {null};
      return Behaviors.receive(Command.class)
          .onMessage(Poll.class, p -> {
            ctx.ask(AppState.class, refs.app(app), interval, AppEntity.Get::new,
                (st, err) -> st == null ? new Polled(null) : new Polled(st));
            return Behaviors.same();
          })
          .onMessage(Polled.class, p -> {
            if (p.state() != null && p.state().exists()) {
              ctx.getSelf().tell(new Observed(p.state().status(), p.state().running(), p.state().replicas()));
            }
            return Behaviors.same();
          })
          .onMessage(Observed.class, o -> {
            if (!o.equals(last[0])) {
              last[0] = o;
              service.tell(new ServiceEntity.AppReported(app, o));
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
