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
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare the journal at " + url + ": " + e.getMessage(), e);
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
