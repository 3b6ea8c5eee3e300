package io.actorvmm.bench;

import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.JournalSchema;
import io.actorvmm.runtime.NodeSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The database one benchmark runs on, fresh for that benchmark: for H2 a new data directory (the
 * node's own embedded file), for PostgreSQL a new schema {@code avm_bench_<pid>} in the database of
 * {@code AVM_TEST_PG_URL}, selected for the node with {@code currentSchema} so the benchmark never
 * touches the tables of tests that share the database. Raw JDBC baselines connect to exactly the
 * URL the node's journal uses.
 */
final class BenchDb implements AutoCloseable {
  final String kind;
  final Path dataDir;
  private final String pgUrl;
  private final String pgUser;
  private final String pgPassword;
  private final String schema;
  private boolean created;

  private BenchDb(String kind, Path dataDir, String pgUrl, String pgUser, String pgPassword, String schema) {
    this.kind = kind;
    this.dataDir = dataDir;
    this.pgUrl = pgUrl;
    this.pgUser = pgUser;
    this.pgPassword = pgPassword;
    this.schema = schema;
  }

  /** A fresh database of {@code kind} (h2 or postgres). */
  static BenchDb create(String kind) {
    try {
      Path dir = Files.createTempDirectory("avm-bench-");
      if ("h2".equals(kind)) return new BenchDb(kind, dir, null, null, null, null);
      if (!"postgres".equals(kind)) throw new IllegalArgumentException("--db must be h2 or postgres, not " + kind);
      String url = System.getenv("AVM_TEST_PG_URL");
      if (url == null || url.isBlank()) {
        throw new IllegalStateException("--db postgres needs AVM_TEST_PG_URL (and AVM_TEST_PG_USER/PASSWORD)");
      }
      String user = envOr("AVM_TEST_PG_USER", "avm");
      String password = envOr("AVM_TEST_PG_PASSWORD", "avm");
      String schema = "avm_bench_" + ProcessHandle.current().pid();
      BenchDb db = new BenchDb(kind, dir, url, user, password, schema);
      try {
        db.createPgSchema();
      } catch (RuntimeException e) {
        db.close();
        throw e;
      }
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String envOr(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  /** The settings of a local single node on this database. */
  NodeSettings settings(int port, int apiPort) {
    NodeSettings s = NodeSettings.local(port, apiPort, dataDir);
    return "postgres".equals(kind) ? s.withJournal("postgres", nodePgUrl(), pgUser, pgPassword) : s;
  }

  private String nodePgUrl() {
    return pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** The JDBC URL the node's journal uses with {@code settings}. */
  static String jdbcUrl(NodeSettings settings) {
    return AvmRuntime.config(settings).getString("pekko-persistence-jdbc.shared-databases.slick.db.url");
  }

  /** Creates the journal tables (as a node does at start), so baselines can run before a node. */
  void ensureTables(NodeSettings settings) {
    JournalSchema.ensure(AvmRuntime.config(settings));
  }

  /** A raw JDBC connection to the node's journal database. */
  Connection connect(NodeSettings settings) throws SQLException {
    var db = AvmRuntime.config(settings).getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    return DriverManager.getConnection(db.getString("url"), db.getString("user"), db.getString("password"));
  }

  /** A short description for the reports, e.g. "postgres 15.18" or "h2 2.3.232". */
  String describe(NodeSettings settings) {
    try (Connection c = connect(settings)) {
      var md = c.getMetaData();
      return kind + " " + md.getDatabaseProductVersion().split(" ")[0];
    } catch (SQLException e) {
      return kind;
    }
  }

  /** Row count of the event journal. */
  long journalRows(NodeSettings settings) throws SQLException {
    try (Connection c = connect(settings); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM \"event_journal\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void createPgSchema() {
    String sql = read("schema/postgres/postgres-create-schema.sql")
        .replace("public.", schema + ".")
        .replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX");
    try (Connection c = DriverManager.getConnection(pgUrl, pgUser, pgPassword); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      st.execute("CREATE SCHEMA " + schema);
      created = true;
      st.execute("SET search_path TO " + schema);
      for (String stmt : sql.split(";")) {
        if (!stmt.isBlank()) st.execute(stmt);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare schema " + schema + " at " + pgUrl + ": " + e.getMessage(), e);
    }
  }

  private static String read(String resource) {
    try (InputStream in = BenchDb.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is not on the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (schema != null && created) {
      try (Connection c = DriverManager.getConnection(pgUrl, pgUser, pgPassword); Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("bench: could not drop schema " + schema + ": " + e.getMessage());
      }
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench: could not delete " + dataDir + ": " + e.getMessage());
    }
  }
}
