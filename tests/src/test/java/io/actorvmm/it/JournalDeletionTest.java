package io.actorvmm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actorvmm.api.AvmNode;
import io.actorvmm.runtime.NodeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.Props;
import org.apache.pekko.persistence.AbstractPersistentActor;
import org.apache.pekko.persistence.DeleteMessagesFailure;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.Recovery;
import org.apache.pekko.persistence.RecoveryCompleted;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Events an entity deleted with DeleteMessagesTo stay deleted for the project's own journal queries
 * (issue 14): an entity's event query and its replay, with and without a count limit, return only the
 * events after the deleted ones, on H2 and (with AVM_TEST_PG_URL) PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalDeletionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Path dir;
  private final List<AvmNode> nodes = new ArrayList<>();
  private final String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

  @BeforeAll
  void start() {
    dir = TestNodes.tempDir("journal-deletion");
    nodes.add(AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir.resolve("h2"))));
    String url = System.getenv("AVM_TEST_PG_URL");
    if (url != null && !url.isBlank()) {
      nodes.add(AvmNode.start(NodeSettings.local(Ports.free(), Ports.free(), dir.resolve("pg"))
          .withJournal("postgres", url, envOr("AVM_TEST_PG_USER", "avm"), envOr("AVM_TEST_PG_PASSWORD", "avm"))));
    }
  }

  @AfterAll
  void stop() {
    TestNodes.closeAll(nodes.toArray(new AvmNode[0]));
    TestNodes.deleteQuietly(dir);
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** A persistent actor that writes the strings it is sent, deletes up to the numbers, and tells all to a queue. */
  static final class Log extends AbstractPersistentActor {
    private final String id;
    private final BlockingQueue<Object> out;
    private final Recovery recovery;
    private final List<String> replayed = new ArrayList<>();

    Log(String id, BlockingQueue<Object> out, Recovery recovery) {
      this.id = id;
      this.out = out;
      this.recovery = recovery;
    }

    @Override
    public String persistenceId() {
      return id;
    }

    @Override
    public Recovery recovery() {
      return recovery;
    }

    @Override
    public Receive createReceiveRecover() {
      return receiveBuilder()
          .match(String.class, replayed::add)
          .match(RecoveryCompleted.class, r -> out.add(List.copyOf(replayed)))
          .build();
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .match(String.class, e -> persist(e, done -> out.add("persisted " + done)))
          .match(Long.class, this::deleteMessages)
          .match(DeleteMessagesSuccess.class, d -> out.add("deleted to " + d.toSequenceNr()))
          .match(DeleteMessagesFailure.class, d -> out.add("delete failed: " + d.cause()))
          .build();
    }
  }

  private static Object next(BlockingQueue<Object> out) throws InterruptedException {
    Object o = out.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (o == null) throw new AssertionError("no answer within " + WAIT);
    return o;
  }

  /** A classic actor under the system guardian (the node's typed system has its own user guardian). */
  private static ActorRef spawn(ActorSystem system, Props props) {
    return ((org.apache.pekko.actor.ExtendedActorSystem) system).systemActorOf(props,
        "deletion-" + java.util.UUID.randomUUID());
  }

  /** What a fresh incarnation of {@code id} replays with {@code recovery}. */
  private static Object replay(ActorSystem system, String id, Recovery recovery) throws InterruptedException {
    BlockingQueue<Object> out = new LinkedBlockingQueue<>();
    ActorRef log = spawn(system, Props.create(Log.class, () -> new Log(id, out, recovery)));
    Object replayed = next(out);
    log.tell(PoisonPill.getInstance(), ActorRef.noSender());
    return replayed;
  }

  @Test
  void deletedEventsStayDeleted() throws Exception {
    for (AvmNode node : nodes) {
      String journal = node.runtime().settings().journal();
      ActorSystem system = org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(node.runtime().system());
      String id = "deletion-test|" + journal + "-" + run;
      BlockingQueue<Object> out = new LinkedBlockingQueue<>();
      ActorRef log = spawn(system, Props.create(Log.class, () -> new Log(id, out, Recovery.create())));
      assertEquals(List.of(), next(out), journal);
      for (String e : List.of("e1", "e2", "e3", "e4", "e5")) {
        log.tell(e, ActorRef.noSender());
        assertEquals("persisted " + e, next(out), journal);
      }
      log.tell(3L, ActorRef.noSender());
      assertEquals("deleted to 3", next(out), journal);
      log.tell(PoisonPill.getInstance(), ActorRef.noSender());

      JdbcReadJournal query = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class,
          JdbcReadJournal.Identifier());
      List<Object> events = query.currentEventsByPersistenceId(id, 0, Long.MAX_VALUE)
          .map(e -> e.event())
          .runWith(Sink.seq(), system)
          .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(List.of("e4", "e5"), events, journal + ": the entity's events after the deletion");
      assertEquals(List.of("e4", "e5"), replay(system, id, Recovery.create()), journal + ": a full replay");
      assertEquals(List.of("e4"), replay(system, id, Recovery.create(SnapshotSelectionCriteria.latest(), Long.MAX_VALUE, 1)),
          journal + ": a replay of at most one event");
      assertEquals(List.of("e4", "e5"), replay(system, id, Recovery.create(SnapshotSelectionCriteria.latest(), Long.MAX_VALUE, 2)),
          journal + ": a replay of at most two events");
    }
  }
}
