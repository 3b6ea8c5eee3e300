package io.actorvmm.runtime.cluster;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.coordination.lease.LeaseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a node talks to its lease table: one connection, one thread, and one timer that renews
 * all the leases the node holds with one statement per heartbeat (a node holds a lease per shard, a
 * few hundred, so a timer and a statement per lease would cost far more). Shared by all {@link JdbcLease}s
 * of one actor system and table.
 */
final class LeaseKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final Map<List<Object>, LeaseKeeper> KEEPERS = new ConcurrentHashMap<>();
  // the database's clock in milliseconds since the epoch; the same expression in H2 and PostgreSQL
  private static final String NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

  private final String url;
  private final String user;
  private final String password;
  private final String table;
  private final Duration operationTimeout;
  private final ScheduledExecutorService thread;
  // touched only on the keeper's thread
  private final Map<String, JdbcLease> held = new LinkedHashMap<>();
  private Connection connection;
  // the holder last reported for a lease this node could not get, so a refusal is logged once, not per retry
  private final Map<String, String> refusalsLogged = new ConcurrentHashMap<>();

  private LeaseKeeper(Config config, String table, Duration interval, Duration operationTimeout) {
    Config db = config.getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    this.url = db.getString("url");
    this.user = db.getString("user");
    this.password = db.getString("password");
    this.table = table;
    this.operationTimeout = operationTimeout;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "avm-lease-keeper");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::renewAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The keeper of {@code system}'s leases in {@code table}, started on first use and stopped with the system. */
  static LeaseKeeper get(ExtendedActorSystem system, String table, Duration interval, Duration operationTimeout) {
    List<Object> key = List.of(system, table);
    return KEEPERS.computeIfAbsent(key, k -> {
      LeaseKeeper keeper = new LeaseKeeper(system.settings().config(), table, interval, operationTimeout);
      // a stopped node renews nothing more: its leases run out in the database unless released before
      system.registerOnTermination(() -> {
        KEEPERS.remove(key);
        keeper.thread.execute(keeper::closeConnection);
        keeper.thread.shutdown();
      });
      return keeper;
    });
  }

  CompletionStage<Boolean> acquire(JdbcLease lease) {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    CompletionStage<Boolean> asked = submit(() -> {
      long start = System.nanoTime();
      long ttl = lease.timeout().toMillis();
      boolean acquired;
      try (PreparedStatement up = connection().prepareStatement("UPDATE " + table + " SET owner = ?, expires_at = "
          + NOW + " + ? WHERE name = ? AND (owner = ? OR expires_at < " + NOW + ")")) {
        up.setString(1, lease.owner());
        up.setLong(2, ttl);
        up.setString(3, lease.name());
        up.setString(4, lease.owner());
        acquired = up.executeUpdate() == 1;
      }
      if (!acquired) {
        try (PreparedStatement ins = connection().prepareStatement("INSERT INTO " + table
            + " (name, owner, expires_at) VALUES (?, ?, " + NOW + " + ?)")) {
          ins.setString(1, lease.name());
          ins.setString(2, lease.owner());
          ins.setLong(3, ttl);
          acquired = ins.executeUpdate() == 1;
        } catch (SQLException e) {
          // the primary key refused the row: another owner holds the lease
          if (!"23505".equals(e.getSQLState())) throw e;
        }
      }
      if (acquired) {
        lease.renewedAtNanos = start;
        lease.lastRenewalFailed = false;
        lease.held = true;
        held.put(lease.name() + "\u0000" + lease.owner(), lease);
        if (refusalsLogged.remove(lease.name()) != null) {
          LOG.info("lease {} acquired by {}: what it covers starts here", lease.name(), lease.owner());
        }
      } else {
        logRefusal(lease);
      }
      if (acquired && answer.isDone()) {
        // the caller gave up waiting (operation timeout) and believes it has no lease: give it back, or this
        // node would renew a lease nothing of it uses and keep everyone else from it
        giveBack(lease);
      }
      return acquired;
    });
    asked.whenComplete((ok, err) -> {
      if (err != null) answer.completeExceptionally(err);
      else answer.complete(ok);
    });
    return answer;
  }

  CompletionStage<Boolean> release(JdbcLease lease) {
    return submit(() -> {
      giveBack(lease);
      return true;
    });
  }

  /** Stops renewing {@code lease} and deletes its row, if this owner holds it. */
  private void giveBack(JdbcLease lease) throws SQLException {
    held.remove(lease.name() + "\u0000" + lease.owner());
    lease.held = false;
    try (PreparedStatement del = connection().prepareStatement("DELETE FROM " + table
        + " WHERE name = ? AND owner = ?")) {
      del.setString(1, lease.name());
      del.setString(2, lease.owner());
      del.executeUpdate();
    }
  }

  private void logRefusal(JdbcLease lease) throws SQLException {
    try (PreparedStatement q = connection().prepareStatement("SELECT owner, expires_at - " + NOW + " FROM " + table
        + " WHERE name = ?")) {
      q.setString(1, lease.name());
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) return;
        String holder = rs.getString(1);
        if (!holder.equals(refusalsLogged.put(lease.name(), holder))) {
          LOG.warn("lease {} is held by {} (for another {} ms unless renewed): this node ({}) does not start what it covers",
              lease.name(), holder, Math.max(0, rs.getLong(2)), lease.owner());
        }
      }
    }
  }

  /** One heartbeat: every held lease past its validity is lost; the others are renewed, one statement per owner. */
  private void renewAll() {
    try {
      long start = System.nanoTime();
      Map<String, List<JdbcLease>> byOwner = new LinkedHashMap<>();
      for (JdbcLease lease : List.copyOf(held.values())) {
        if (start - lease.renewedAtNanos >= lease.validNanos()) {
          lost(lease, "not renewed within " + (lease.validNanos() / 1_000_000) + " ms");
        } else {
          byOwner.computeIfAbsent(lease.owner(), o -> new ArrayList<>()).add(lease);
        }
      }
      for (Map.Entry<String, List<JdbcLease>> e : byOwner.entrySet()) renew(e.getKey(), e.getValue(), start);
    } catch (RuntimeException e) {
      LOG.warn("lease renewal failed: {}", e.toString());
    }
  }

  private void renew(String owner, List<JdbcLease> leases, long start) {
    String names = String.join(", ", java.util.Collections.nCopies(leases.size(), "?"));
    long ttl = leases.get(0).timeout().toMillis();
    try {
      int renewed;
      try (PreparedStatement up = connection().prepareStatement("UPDATE " + table + " SET expires_at = " + NOW
          + " + ? WHERE owner = ? AND expires_at >= " + NOW + " AND name IN (" + names + ")")) {
        up.setQueryTimeout(queryTimeoutSeconds());
        up.setLong(1, ttl);
        up.setString(2, owner);
        for (int i = 0; i < leases.size(); i++) up.setString(3 + i, leases.get(i).name());
        renewed = up.executeUpdate();
      }
      Set<String> stillHeld;
      if (renewed == leases.size()) {
        stillHeld = null;
      } else {
        // some row is no longer ours (taken after it expired, or deleted): find which
        stillHeld = new HashSet<>();
        try (PreparedStatement q = connection().prepareStatement("SELECT name FROM " + table
            + " WHERE owner = ? AND name IN (" + names + ")")) {
          q.setString(1, owner);
          for (int i = 0; i < leases.size(); i++) q.setString(2 + i, leases.get(i).name());
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) stillHeld.add(rs.getString(1));
          }
        }
      }
      for (JdbcLease lease : leases) {
        if (stillHeld == null || stillHeld.contains(lease.name())) {
          lease.renewedAtNanos = start;
          lease.lastRenewalFailed = false;
        } else {
          lost(lease, "the database no longer records it as this node's (expired or taken by another owner)");
        }
      }
    } catch (SQLException e) {
      closeConnection();
      // not held for sure any more; lost once the validity ends without a successful renewal
      for (JdbcLease lease : leases) lease.lastRenewalFailed = true;
      LOG.warn("renewing {} lease(s) of {} failed: {}", leases.size(), owner, e.getMessage());
    }
  }

  private void lost(JdbcLease lease, String why) {
    held.remove(lease.name() + "\u0000" + lease.owner());
    lease.held = false;
    LOG.warn("lease {} lost by {}: {}; what it covers stops here", lease.name(), lease.owner(), why);
    try {
      lease.onLost.accept(Optional.of(new LeaseException("lease " + lease.name() + " lost: " + why)));
    } catch (RuntimeException e) {
      LOG.warn("the lost-lease callback of {} failed: {}", lease.name(), e.toString());
    }
  }

  private interface Sql<T> {
    T run() throws SQLException;
  }

  private <T> CompletionStage<T> submit(Sql<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        try {
          result.complete(work.run());
        } catch (SQLException e) {
          closeConnection();
          result.completeExceptionally(new LeaseException("lease table " + table + ": " + e.getMessage()));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(new LeaseException("the node is stopping"));
    }
    return result.orTimeout(operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private int queryTimeoutSeconds() {
    return (int) Math.max(1, operationTimeout.toSeconds());
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      DriverManager.setLoginTimeout(queryTimeoutSeconds());
      connection = DriverManager.getConnection(url, user, password);
      connection.setAutoCommit(true);
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken; a new one is opened on next use
      }
      connection = null;
    }
  }
}
