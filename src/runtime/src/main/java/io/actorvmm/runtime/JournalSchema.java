package io.actorvmm.runtime;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the JDBC journal's tables at a node's first start, from the schema the journal plugin
 * ships for the configured database. Every statement is made idempotent, so nodes that start
 * together on one database do not trip over each other.
 */
public final class JournalSchema {
  private JournalSchema() {}

  /** Creates whatever of the schema is missing in the database {@code config} names. */
  public static void ensure(Config config) {
    Config db = config.getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    String url = db.getString("url");
    String resource = url.startsWith("jdbc:postgresql:") ? "schema/postgres/postgres-create-schema.sql"
        : "schema/h2/h2-create-schema.sql";
    String sql = read(resource);
    try (Connection c = DriverManager.getConnection(url, db.getString("user"), db.getString("password"));
         Statement st = c.createStatement()) {
      for (String raw : sql.split(";")) {
        String stmt = idempotent(raw.trim());
        if (stmt.isEmpty()) continue;
        try {
          st.execute(stmt);
        } catch (SQLException e) {
          // another node created it between our check and our statement
          if (!String.valueOf(e.getMessage()).toLowerCase().contains("already exists")) throw e;
        }
      }
      ensureLeaseTable(c, LEASE_TABLE);
      ensureIdentityTable(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare the journal at " + url + ": " + e.getMessage(), e);
    }
  }

  /** The table of the cluster's leases (see {@code cluster.JdbcLease}). */
  public static final String LEASE_TABLE = "avm_lease";
  /** The table that holds the journal's identity: one row with a random id made on first use. */
  public static final String IDENTITY_TABLE = "avm_journal_identity";

  /**
   * Creates the lease table {@code table} when missing: one row per held lease, its owner and its expiry
   * in milliseconds since the epoch by the database's clock. The same statements suit H2 and PostgreSQL.
   */
  public static void ensureLeaseTable(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + table
          + " (name VARCHAR(512) NOT NULL PRIMARY KEY, owner VARCHAR(512) NOT NULL, expires_at BIGINT NOT NULL)");
      st.execute("CREATE INDEX IF NOT EXISTS " + table + "_owner ON " + table + " (owner)");
    }
  }

  private static void ensureIdentityTable(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + IDENTITY_TABLE
          + " (slot INT NOT NULL PRIMARY KEY, id VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL)");
    }
  }

  /**
   * The identity of the journal {@code config} names: a random id written on the journal's first use (by
   * whichever node gets there first) and read by every node afterwards. Nodes of one cluster must share
   * it; a node on another journal is refused at join (see {@code cluster.JournalIdentityCheck}).
   */
  public static String identity(Config config) {
    Config db = config.getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    String url = db.getString("url");
    try (Connection c = DriverManager.getConnection(url, db.getString("user"), db.getString("password"))) {
      ensureIdentityTable(c);
      try (java.sql.PreparedStatement ins = c.prepareStatement("INSERT INTO " + IDENTITY_TABLE
          + " (slot, id, created_at) VALUES (1, ?, ?)")) {
        ins.setString(1, java.util.UUID.randomUUID().toString());
        ins.setLong(2, System.currentTimeMillis());
        ins.executeUpdate();
      } catch (SQLException e) {
        // the journal has its identity already (the primary key refused a second row)
        if (!"23505".equals(e.getSQLState())) throw e;
      }
      try (Statement st = c.createStatement();
           java.sql.ResultSet rs = st.executeQuery("SELECT id FROM " + IDENTITY_TABLE + " WHERE slot = 1")) {
        if (!rs.next()) throw new SQLException("the journal's identity row is missing");
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the journal's identity at " + url + ": " + e.getMessage(), e);
    }
  }

  private static String idempotent(String stmt) {
    return stmt.replace("CREATE UNIQUE INDEX \"", "CREATE UNIQUE INDEX IF NOT EXISTS \"")
        .replace("CREATE UNIQUE INDEX event_journal", "CREATE UNIQUE INDEX IF NOT EXISTS event_journal")
        .replace("CREATE INDEX CONCURRENTLY ", "CREATE INDEX IF NOT EXISTS ");
  }

  private static String read(String resource) {
    try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("journal schema " + resource + " is not on the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }
}
