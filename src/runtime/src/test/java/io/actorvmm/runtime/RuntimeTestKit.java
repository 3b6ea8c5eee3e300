package io.actorvmm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.actorvmm.domain.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** The actor system the runtime's unit tests share, and assertions on replies and probes. */
public final class RuntimeTestKit {

  // local actors, in-memory journal; the node's application.conf (cluster, jdbc) is deliberately not loaded
  private static final String CONFIG = """
      pekko.actor.provider = local
      pekko.actor.serialization-bindings {
        "io.actorvmm.runtime.CborSerializable" = jackson-cbor
      }
      pekko.loglevel = WARNING
      """;

  private RuntimeTestKit() {}

  /** The test configuration: CBOR binding, local provider, persistence testkit plugins. */
  public static Config config() {
    return ConfigFactory.parseString(CONFIG).withFallback(EventSourcedBehaviorTestKit.config());
  }

  /** A fresh actor system with {@link #config()}. */
  public static ActorTestKit create(String name) {
    return ActorTestKit.create(name, config());
  }

  /** The rejection carried by an error reply; fails when the reply is a success. */
  public static Rejection rejection(StatusReply<?> reply) {
    assertTrue(reply.isError(), () -> "expected an error reply, got " + reply);
    return Rejection.decode(reply.getError().getMessage());
  }

  /** Asserts an error reply of {@code kind} whose message contains {@code text}. */
  public static void assertRejected(StatusReply<?> reply, Rejection.Kind kind, String text) {
    Rejection r = rejection(reply);
    assertEquals(kind, r.kind(), () -> "kind of " + r);
    assertTrue(r.message().contains(text), () -> "'" + r.message() + "' should contain '" + text + "'");
  }

  /** The payload of a success reply; fails on an error reply. */
  public static <T> T success(StatusReply<T> reply) {
    assertTrue(reply.isSuccess(), () -> "expected success, got " + reply);
    return reply.getValue();
  }

  /** The next message of {@code type}, skipping messages of {@code skip} (e.g. periodic polls). */
  public static <M, T extends M> T expectSkipping(TestProbe<M> probe, Class<T> type, Class<? extends M> skip) {
    List<M> all = probe.fishForMessage(Duration.ofSeconds(3), "waiting for " + type.getSimpleName(), m -> {
      if (type.isInstance(m)) return org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete();
      if (skip.isInstance(m)) return org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore();
      return org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.fail("unexpected " + m);
    });
    return type.cast(all.get(all.size() - 1));
  }

  /** Asserts that within {@code d} nothing but messages of {@code skip} arrives. */
  public static <M> void expectNothingBut(TestProbe<M> probe, Class<? extends M> skip, Duration d) {
    for (M m : drain(probe, d)) {
      assertTrue(skip.isInstance(m), () -> "unexpected message " + m);
    }
  }

  /** Every message arriving within {@code d} (possibly none). */
  public static <M> List<M> drain(TestProbe<M> probe, Duration d) {
    List<M> out = new ArrayList<>();
    long end = System.nanoTime() + d.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) return out;
      try {
        out.add(probe.receiveMessage(Duration.ofNanos(left)));
      } catch (AssertionError timeout) {
        return out;
      }
    }
  }
}
