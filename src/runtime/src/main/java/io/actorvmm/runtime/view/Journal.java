package io.actorvmm.runtime.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actorvmm.api.model.AuditEntry;
import io.actorvmm.api.model.Json;
import io.actorvmm.api.model.ReplayResult;
import io.actorvmm.runtime.AvmEvent;
import io.actorvmm.runtime.Tags;
import io.actorvmm.runtime.app.AppEvent;
import io.actorvmm.runtime.app.AppState;
import io.actorvmm.runtime.host.HostEvent;
import io.actorvmm.runtime.host.HostState;
import io.actorvmm.runtime.service.ServiceEvent;
import io.actorvmm.runtime.service.ServiceState;
import io.actorvmm.runtime.vm.VmEvent;
import io.actorvmm.runtime.vm.VmState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The journal as history: the audit log in journal order, one entity's history, an entity's state
 * rebuilt at a point in time, and the live stream that keeps this node's {@link Inventory} current.
 */
public final class Journal {
  private static final ObjectMapper JSON = Json.mapper();

  private final ActorSystem<?> system;
  private final JdbcReadJournal reads;
  private final Inventory inventory = new Inventory();

  /** The journal of {@code system}'s configured JDBC read journal. */
  public Journal(ActorSystem<?> system) {
    this.system = system;
    this.reads = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /** Starts following the journal into the inventory; runs until the node stops. */
  public Journal startInventory() {
    // a failed query (the read journal's 1 s ask for the highest ordering times out on a loaded or
    // freshly started node) would otherwise end the stream for good and freeze every list on this
    // node; restart it after the last event folded in (the read journal's offset is exclusive)
    RestartSettings restart = RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);
    RestartSource.onFailuresWithBackoff(restart,
            () -> reads.eventsByTag(Tags.AUDIT, Offset.sequence(inventory.offset())))
        .runForeach(env -> inventory.apply(entityId(env.persistenceId()), env.event(), offsetOf(env)), system);
    return this;
  }

  /** This node's inventory read side. */
  public Inventory inventory() {
    return inventory;
  }

  /** Events in journal order, optionally since a time and for one entity, at most {@code limit}. */
  public CompletionStage<List<AuditEntry>> log(Instant since, EntityType.Ref entity, int limit) {
    Source<EventEnvelope, NotUsed> events = entity == null
        ? reads.currentEventsByTag(Tags.AUDIT, Offset.noOffset())
        : reads.currentEventsByPersistenceId(entity.persistenceId(), 0, Long.MAX_VALUE);
    return events
        .map(Journal::entry)
        .filter(e -> since == null || !Instant.parse(e.at()).isBefore(since))
        .take(limit)
        .runWith(Sink.seq(), system);
  }

  /** Every event of one entity, in order. */
  public CompletionStage<List<AuditEntry>> history(EntityType.Ref entity) {
    return log(null, entity, Integer.MAX_VALUE);
  }

  /** The entity's state rebuilt from its events with a time at or before {@code at}. */
  public CompletionStage<ReplayResult> replay(EntityType.Ref entity, Instant at) {
    return reads.currentEventsByPersistenceId(entity.persistenceId(), 0, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .filter(e -> e instanceof AvmEvent a && !a.meta().at().isAfter(at))
        .runWith(Sink.seq(), system)
        .thenApply(events -> {
          Object state = initial(entity);
          for (Object e : events) state = applyTo(state, e);
          JsonNode json = events.isEmpty() ? null : JSON.valueToTree(state);
          return new ReplayResult(entity.toString(), at.toString(), events.size(), json);
        });
  }

  private static Object initial(EntityType.Ref ref) {
    switch (ref.type()) {
      case HOST: return HostState.empty(ref.id());
      case VM: return VmState.empty(ref.id());
      case APP: return AppState.empty(ref.id());
      case MOVE: return io.actorvmm.runtime.move.MoveState.empty(ref.id());
      case TOKEN: return io.actorvmm.runtime.auth.TokenState.empty(ref.id());
      case USER: return io.actorvmm.runtime.auth.UserState.empty(ref.id());
      default: return ServiceState.empty(ref.id());
    }
  }

  private static Object applyTo(Object state, Object event) {
    if (state instanceof HostState s && event instanceof HostEvent e) return s.apply(e);
    if (state instanceof VmState s && event instanceof VmEvent e) return s.apply(e);
    if (state instanceof AppState s && event instanceof AppEvent e) return s.apply(e);
    if (state instanceof ServiceState s && event instanceof ServiceEvent e) return s.apply(e);
    if (state instanceof io.actorvmm.runtime.move.MoveState s && event instanceof io.actorvmm.runtime.move.MoveEvent e) {
      return s.apply(e);
    }
    if (state instanceof io.actorvmm.runtime.auth.TokenState s && event instanceof io.actorvmm.runtime.auth.TokenEvent e) {
      return s.apply(e);
    }
    if (state instanceof io.actorvmm.runtime.auth.UserState s && event instanceof io.actorvmm.runtime.auth.UserEvent e) {
      return s.apply(e);
    }
    return state;
  }

  /** The refused requests every node recorded, in journal order, optionally since a time, at most {@code limit}. */
  public CompletionStage<List<AuditEntry>> denied(Instant since, int limit) {
    return reads.currentEventsByTag(io.actorvmm.runtime.auth.DenialLog.TAG, Offset.noOffset())
        .map(Journal::entry)
        .filter(e -> since == null || !Instant.parse(e.at()).isBefore(since))
        .take(limit)
        .runWith(Sink.seq(), system);
  }

  private static AuditEntry entry(EventEnvelope env) {
    Object event = env.event();
    String who = null;
    String token = null;
    String note = null;
    String at = Instant.ofEpochMilli(env.timestamp()).toString();
    ObjectNode detail = JSON.valueToTree(event);
    if (event instanceof AvmEvent a) {
      who = a.meta().who();
      token = a.meta().token();
      note = a.meta().note();
      at = a.meta().at().toString();
      detail.remove("meta");
    }
    // a token's digest is no secret, but nobody reading the history needs it
    detail.remove("secretDigest");
    return new AuditEntry(offsetOf(env), at, EntityType.refOfPersistenceId(env.persistenceId()),
        event.getClass().getSimpleName(), who, detail, token, note);
  }

  private static long offsetOf(EventEnvelope env) {
    return env.offset() instanceof Sequence s ? s.value() : env.sequenceNr();
  }

  private static String entityId(String persistenceId) {
    int i = persistenceId.indexOf('|');
    return i < 0 ? persistenceId : persistenceId.substring(i + 1);
  }
}
