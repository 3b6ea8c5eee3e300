package io.actorvmm.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.actorvmm.runtime.JournalSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.coordination.lease.javadsl.Lease;
import org.apache.pekko.coordination.lease.javadsl.LeaseProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC lease against H2 (always) and PostgreSQL (when {@code AVM_TEST_PG_URL} is set): one holder at
 * a time, expiry of a holder that stopped renewing, release, and the loss of a lease whose row is taken
 * or whose table cannot be reached. Each test uses a table of its own.
 */
class JdbcLeaseTest {
  private final List<ActorSystem> systems = new ArrayList<>();
  private final List<Runnable> cleanups = new ArrayList<>();

  @AfterEach
  void stop() {
    systems.forEach(s -> {
      s.terminate();
      try {
        s.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // best effort
      }
    });
    cleanups.forEach(Runnable::run);
  }

  /** A database for one test: an in-memory H2, or PostgreSQL when configured. */
  record Db(String url, String user, String password) {}

  private static List<Db> databases() {
    List<Db> out = new ArrayList<>();
    out.add(new Db("jdbc:h2:mem:lease" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", ""));
    String pg = System.getenv("AVM_TEST_PG_URL");
    if (pg != null && !pg.isBlank()) {
      out.add(new Db(pg, envOr("AVM_TEST_PG_USER", "avm"), envOr("AVM_TEST_PG_PASSWORD", "avm")));
    }
    return out;
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private String table(Db db) throws SQLException {
    String table = "avm_lease_test_" + Long.toString(System.nanoTime(), 36);
    try (Connection c = connect(db)) {
      JournalSchema.ensureLeaseTable(c, table);
    }
    cleanups.add(() -> sql(db, "DROP TABLE IF EXISTS " + table));
    return table;
  }

  private static Connection connect(Db db) throws SQLException {
    return DriverManager.getConnection(db.url(), db.user(), db.password());
  }

  private static void sql(Db db, String statement) {
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      st.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An actor system (one node incarnation) whose leases live in {@code table}. */
  private ActorSystem node(Db db, String table, String name) {
    Config config = ConfigFactory.parseString("""
        pekko.actor.provider = local
        pekko.loglevel = WARNING
        test-lease {
          lease-class = "io.actorvmm.runtime.cluster.JdbcLease"
          heartbeat-timeout = 2s
          heartbeat-interval = 200ms
          lease-operation-timeout = 3s
        }
        """)
        .withValue("test-lease.table", com.typesafe.config.ConfigValueFactory.fromAnyRef(table))
        .withValue("pekko-persistence-jdbc.shared-databases.slick.db.url",
            com.typesafe.config.ConfigValueFactory.fromAnyRef(db.url()))
        .withValue("pekko-persistence-jdbc.shared-databases.slick.db.user",
            com.typesafe.config.ConfigValueFactory.fromAnyRef(db.user()))
        .withValue("pekko-persistence-jdbc.shared-databases.slick.db.password",
            com.typesafe.config.ConfigValueFactory.fromAnyRef(db.password()))
        .withFallback(ConfigFactory.defaultReference());
    ActorSystem system = ActorSystem.create(name, config);
    systems.add(system);
    return system;
  }

  private static Lease lease(ActorSystem system, String name, String owner) {
    return LeaseProvider.get(system).getLease(name, "test-lease", owner);
  }

  private static boolean get(java.util.concurrent.CompletionStage<Boolean> f) throws Exception {
    return f.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      Thread.sleep(50);
    }
  }

  @Test
  void onlyOneOwnerHoldsALeaseAndItIsRenewed() throws Exception {
    for (Db db : databases()) {
      String table = table(db);
      Lease a = lease(node(db, table, "a"), "shard-1", "127.0.0.1:1");
      Lease b = lease(node(db, table, "b"), "shard-1", "127.0.0.1:2");
      assertTrue(get(a.acquire()), db.url());
      assertFalse(get(b.acquire()), "a second owner must not get a held lease");
      // the holder asking again keeps it
      assertTrue(get(a.acquire()));
      // past the heartbeat-timeout the holder's renewals keep it, and the other owner still cannot take it
      Thread.sleep(2500);
      assertTrue(a.checkLease(), "renewed on its heartbeat");
      assertFalse(get(b.acquire()));
      assertFalse(b.checkLease());
    }
  }

  @Test
  void aStoppedHoldersLeaseExpiresByTheDatabasesClock() throws Exception {
    for (Db db : databases()) {
      String table = table(db);
      ActorSystem first = node(db, table, "first");
      Lease a = lease(first, "singleton", "127.0.0.1:1");
      assertTrue(get(a.acquire()));
      // the node dies without releasing (its keeper stops renewing)
      first.terminate();
      first.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // the same address restarted is another owner: it waits like anyone else
      Lease again = lease(node(db, table, "restarted"), "singleton", "127.0.0.1:1");
      assertFalse(get(again.acquire()), "a new incarnation must not inherit its predecessor's lease");
      await("the lease expired and is taken", () -> {
        try {
          return get(again.acquire());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(again.checkLease());
    }
  }

  @Test
  void aReleasedLeaseIsFreeAtOnce() throws Exception {
    for (Db db : databases()) {
      String table = table(db);
      Lease a = lease(node(db, table, "a"), "shard-2", "127.0.0.1:1");
      Lease b = lease(node(db, table, "b"), "shard-2", "127.0.0.1:2");
      assertTrue(get(a.acquire()));
      assertTrue(get(a.release()));
      assertFalse(a.checkLease());
      assertTrue(get(b.acquire()), "free after release, without waiting for expiry");
    }
  }

  @Test
  void aLeaseWhoseRowIsTakenIsLost() throws Exception {
    for (Db db : databases()) {
      String table = table(db);
      Lease a = lease(node(db, table, "a"), "shard-3", "127.0.0.1:1");
      CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
      assertTrue(get(a.acquire(lost::complete)));
      try (Connection c = connect(db);
           PreparedStatement st = c.prepareStatement("UPDATE " + table + " SET owner = 'intruder' WHERE name = ?")) {
        st.setString(1, "shard-3");
        assertEquals(1, st.executeUpdate());
      }
      Optional<Throwable> cause = lost.get(20, TimeUnit.SECONDS);
      assertTrue(cause.isPresent() && cause.get().getMessage().contains("shard-3"), () -> "cause " + cause);
      assertFalse(a.checkLease());
    }
  }

  @Test
  void aFailedRenewalMakesCheckLeaseFalseAndTheLeaseIsLostWhenItRunsOut() throws Exception {
    for (Db db : databases()) {
      String table = table(db);
      Lease a = lease(node(db, table, "a"), "shard-4", "127.0.0.1:1");
      CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
      assertTrue(get(a.acquire(lost::complete)));
      // the table cannot be reached any more: every renewal fails
      sql(db, "ALTER TABLE " + table + " RENAME TO " + table + "_gone");
      cleanups.add(() -> sql(db, "DROP TABLE IF EXISTS " + table + "_gone"));
      await("checkLease is false after a failed renewal", () -> !a.checkLease());
      assertTrue(lost.get(20, TimeUnit.SECONDS).isPresent());
      assertFalse(a.checkLease());
    }
  }
}
