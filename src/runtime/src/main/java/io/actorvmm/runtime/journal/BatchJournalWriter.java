package io.actorvmm.runtime.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import slick.jdbc.SimpleJdbcAction;

/**
 * Writes a batch of tagged events to PostgreSQL in one transaction: when every event carries one tag
 * (as every ActorVmm event does), each event with its tag row in one statement of one JDBC batch;
 * otherwise the journal rows as one JDBC batch, reading back the generated orderings, then their tag
 * rows as another. pekko-persistence-jdbc 1.1 inserts tagged events with Slick's {@code insert ...
 * returning ordering}, which Slick never batches (each event its own INSERT, and every event here
 * carries the audit tag); this writes the same rows, in the same order (by sequence number), with
 * the same all-or-nothing batch.
 */
final class BatchJournalWriter {
  private final JdbcBackend.JdbcDatabaseDef database;
  private final String insertEvent;
  private final String insertTag;
  private final String orderingColumn;
  // each event and its one tag row in a single statement (a data-modifying WITH): a batch needs no
  // generated keys read back and no second round trip
  private final String insertEventWithTag;

  BatchJournalWriter(JdbcBackend.JdbcDatabaseDef db, JournalConfig journalConfig) {
    this.database = db;
    var jt = journalConfig.eventJournalTableConfiguration();
    EventJournalTableColumnNames c = jt.columnNames();
    String journal = qualified(jt.schemaName(), jt.tableName());
    this.orderingColumn = c.ordering();
    this.insertEvent = "INSERT INTO " + journal + " (" + String.join(", ", q(c.deleted()), q(c.persistenceId()),
        q(c.sequenceNumber()), q(c.writer()), q(c.writeTimestamp()), q(c.adapterManifest()), q(c.eventPayload()),
        q(c.eventSerId()), q(c.eventSerManifest()), q(c.metaPayload()), q(c.metaSerId()), q(c.metaSerManifest()))
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    var tt = journalConfig.eventTagTableConfiguration();
    this.insertTag = "INSERT INTO " + qualified(tt.schemaName(), tt.tableName()) + " (" + q(tt.columnNames().eventId())
        + ", " + q(tt.columnNames().tag()) + ") VALUES (?, ?)";
    this.insertEventWithTag = "WITH e AS (" + insertEvent + " RETURNING " + q(c.ordering()) + ") INSERT INTO "
            + qualified(tt.schemaName(), tt.tableName()) + " (" + q(tt.columnNames().eventId()) + ", "
            + q(tt.columnNames().tag()) + ") SELECT " + q(c.ordering()) + ", ? FROM e";
  }

  /** True when any row carries a tag (untagged batches are left to the plugin). */
  static boolean tagged(Seq<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> xs) {
    var it = xs.iterator();
    while (it.hasNext()) {
      if (it.next()._2().nonEmpty()) return true;
    }
    return false;
  }

  /** Writes {@code xs} in one transaction. */
  Future<BoxedUnit> write(Seq<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> xs) {
    List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows = new ArrayList<>(xs.size());
    xs.foreach(rows::add);
    // the plugin writes a batch in sequence number order (a stable sort); so does this
    rows.sort(java.util.Comparator.comparingLong(t -> t._1().sequenceNumber()));
    SimpleJdbcAction<BoxedUnit> action = SimpleJdbcAction.apply(ctx -> {
      try {
        write(ctx.connection(), rows);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return BoxedUnit.UNIT;
    });
    // DBIOAction's effect parameter is contravariant in Scala; Java needs the raw type to see that
    @SuppressWarnings({"unchecked", "rawtypes"})
    Future<BoxedUnit> done = database.run((slick.dbio.DBIOAction) action);
    return done;
  }

  private static String q(String name) {
    return "\"" + name + "\"";
  }

  private static String qualified(scala.Option<String> schema, String table) {
    return schema.isDefined() ? q(schema.get()) + "." + q(table) : q(table);
  }

  private void write(Connection c, List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    if (rows.stream().allMatch(t -> t._2().size() == 1)) {
      writeWithTags(c, rows);
      return;
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ins = c.prepareStatement(insertEvent, new String[] {orderingColumn});
         PreparedStatement tags = c.prepareStatement(insertTag)) {
      for (var t : rows) {
        bindEvent(ins, t._1());
        ins.addBatch();
      }
      ins.executeBatch();
      int i = 0;
      int tagRows = 0;
      try (ResultSet keys = ins.getGeneratedKeys()) {
        while (keys.next()) {
          long ordering = keys.getLong(1);
          var tagIt = rows.get(i++)._2().iterator();
          while (tagIt.hasNext()) {
            tags.setLong(1, ordering);
            tags.setString(2, tagIt.next());
            tags.addBatch();
            tagRows++;
          }
        }
      }
      if (i != rows.size()) throw new SQLException("expected " + rows.size() + " generated keys, got " + i);
      if (tagRows > 0) tags.executeBatch();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** One statement per event inserting the event and its only tag; no keys to read back. */
  private void writeWithTags(Connection c, List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ins = c.prepareStatement(insertEventWithTag)) {
      for (var t : rows) {
        bindEvent(ins, t._1());
        ins.setString(13, t._2().head());
        ins.addBatch();
      }
      int[] counts = ins.executeBatch();
      if (counts.length != rows.size()) throw new SQLException("expected " + rows.size() + " results, got " + counts.length);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static void bindEvent(PreparedStatement ins, JournalTables.JournalPekkoSerializationRow r)
      throws SQLException {
    ins.setBoolean(1, r.deleted());
    ins.setString(2, r.persistenceId());
    ins.setLong(3, r.sequenceNumber());
    ins.setString(4, r.writer());
    ins.setLong(5, r.writeTimestamp());
    ins.setString(6, r.adapterManifest());
    ins.setBytes(7, r.eventPayload());
    ins.setInt(8, r.eventSerId());
    ins.setString(9, r.eventSerManifest());
    if (r.metaPayload().isDefined()) ins.setBytes(10, r.metaPayload().get());
    else ins.setNull(10, Types.BINARY);
    if (r.metaSerId().isDefined()) ins.setInt(11, (Integer) r.metaSerId().get());
    else ins.setNull(11, Types.INTEGER);
    if (r.metaSerManifest().isDefined()) ins.setString(12, r.metaSerManifest().get());
    else ins.setNull(12, Types.VARCHAR);
  }
}
