package io.actorvmm.runtime.auth;

import io.actorvmm.runtime.CborSerializable;
import java.util.Set;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;

/**
 * The refused requests one node answered, one journal entry each. Its events carry their own tag, not the
 * audit tag: a refused request changes nothing, and the audit log of changes stays as it was; the API
 * lists them under /api/audit/denied. One log per node (named by its address), so recording a refusal
 * never waits for another node.
 */
public final class DenialLog extends EventSourcedBehaviorWithEnforcedReplies<DenialLog.Command, DenialEvent, DenialLog.State> {
  /** The tag of refusals. */
  public static final String TAG = "denied";
  /** The persistence id prefix. */
  public static final String TYPE = "Denials";

  /** Every command the log accepts. */
  public interface Command extends CborSerializable {}

  /** Record one refusal. */
  public record Record(DenialEvent.RequestDenied denial) implements Command {}

  /** How many refusals were recorded. */
  public record State(long count) implements CborSerializable {}

  private DenialLog(String node) {
    super(PersistenceId.of(TYPE, node));
  }

  /** The log of the node at {@code node} (host:port). */
  public static Behavior<Command> create(String node) {
    return new DenialLog(node);
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public Set<String> tagsFor(DenialEvent event) {
    return Set.of(TAG);
  }

  @Override
  public CommandHandlerWithReply<Command, DenialEvent, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Record.class, (s, c) -> Effect().persist(c.denial()).thenNoReply())
        .build();
  }

  @Override
  public EventHandler<State, DenialEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> new State(s.count() + 1));
  }
}
