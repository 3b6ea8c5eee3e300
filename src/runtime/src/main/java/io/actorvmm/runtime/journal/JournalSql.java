package io.actorvmm.runtime.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableConfiguration;
import org.apache.pekko.persistence.jdbc.config.EventJournalTableColumnNames;
import org.apache.pekko.persistence.jdbc.config.EventTagTableConfiguration;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables.JournalPekkoSerializationRow;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.scaladsl.Source;
import scala.Option;
import scala.Tuple2;
import scala.concurrent.Future;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.SimpleJdbcAction;

/**
 * Journal queries asked with plain JDBC, each page read into one list, instead of through Slick's
 * streaming (per-row reactive-streams demand on a database thread): the same rows in the same order
 * as pekko-persistence-jdbc's queries. Both profiles read events by tag, the journal's orderings (the
 * read sides' gap detection) and one entity's events (recovery, history, replay) this way. The forms
 * are chosen for H2, which plans two of the plugin's badly:
 * <ul>
 *   <li>events by tag (the audit log and the inventory read side): the plugin joins the journal and
 *       the tag table, and H2 answers by scanning the whole tag table on every poll (every event
 *       carries the tag), so each poll costs time in proportion to the journal. Here the journal's
 *       ordering index is walked over the requested range and each row's tag checked by the tag
 *       table's primary key.
 *   <li>one entity's events: the plugin orders by sequence number alone, which H2 does not match to
 *       the primary key (persistence id, sequence number), so every page of a replay reads and sorts
 *       all the entity's remaining events: a replay costs the square of its length. Ordering by both
 *       key columns (the same order, the persistence id being fixed) lets H2 read the page straight
 *       from the key.
 * </ul>
 * PostgreSQL plans the plugin's forms well; there the gain is the plain JDBC read of a page (the
 * inventory read side follows every event written, and a recovery reads every event of its entity).
 */
final class JournalSql {
  /** Pages larger than this go to the plugin's own streaming query instead of one list. */
  static final long MAX_PAGE = 10_000;

  private final JdbcBackend.JdbcDatabaseDef db;
  private final Serialization serialization;
  private final String byTag;
  private final String byPersistenceId;
  private final String orderings;

  JournalSql(JdbcBackend.JdbcDatabaseDef db, Serialization serialization, EventJournalTableConfiguration journal,
        EventTagTableConfiguration tags) {
    this.db = db;
    this.serialization = serialization;
    EventJournalTableColumnNames c = journal.columnNames();
    String ordering = q(c.ordering());
    String select = "SELECT " + String.join(", ", ordering, q(c.deleted()), q(c.persistenceId()),
        q(c.sequenceNumber()), q(c.writer()), q(c.writeTimestamp()), q(c.adapterManifest()), q(c.eventPayload()),
        q(c.eventSerId()), q(c.eventSerManifest()), q(c.metaPayload()), q(c.metaSerId()), q(c.metaSerManifest()))
        + " FROM " + table(journal.schemaName(), journal.tableName()) + " j";
    this.byTag = select
        + " WHERE j." + ordering + " > ? AND j." + ordering + " <= ? AND j." + q(c.deleted()) + " = FALSE"
        + " AND EXISTS (SELECT 1 FROM " + table(tags.schemaName(), tags.tableName()) + " t WHERE t."
        + q(tags.columnNames().eventId()) + " = j." + ordering + " AND t." + q(tags.columnNames().tag()) + " = ?)"
        + " ORDER BY j." + ordering + " LIMIT ?";
    // not the rows deleted with DeleteMessagesTo: the plugin keeps the highest of them, flagged, for the
    // entity's highest sequence number, and its own query leaves it out too (a LIMIT counting it would
    // return one event too few)
    this.byPersistenceId = select
        + " WHERE j." + q(c.persistenceId()) + " = ? AND j." + q(c.sequenceNumber()) + " >= ? AND j."
        + q(c.sequenceNumber()) + " <= ? AND j." + q(c.deleted()) + " = FALSE"
        + " ORDER BY j." + q(c.persistenceId()) + ", j." + q(c.sequenceNumber()) + " LIMIT ?";
    // the plugin's journal sequence query (every ordering, deleted or not, as it asks)
    this.orderings = "SELECT " + ordering + " FROM " + table(journal.schemaName(), journal.tableName())
        + " WHERE " + ordering + " > ? ORDER BY " + ordering + " LIMIT ?";
  }

  private static String q(String name) {
    return "\"" + name + "\"";
  }

  private static String table(Option<String> schema, String name) {
    return schema.isDefined() ? q(schema.get()) + "." + q(name) : q(name);
  }

  /**
   * Events with {@code tag} and an ordering in (offset, maxOffset], at most {@code max}, by ordering, in
   * the read journal DAO's form; like the plugin, the events' tags are not read back (an empty set).
   */
  Source<Try<scala.Tuple3<PersistentRepr, scala.collection.immutable.Set<String>, Object>>, NotUsed> eventsByTag(
      String tag, long offset, long maxOffset, long max) {
    scala.collection.immutable.Set<String> noTags = scala.collection.immutable.Set$.MODULE$.empty();
    return byTag(tag, offset, maxOffset, max).asJava()
        .map(t -> t.map(e -> new scala.Tuple3<PersistentRepr, scala.collection.immutable.Set<String>, Object>(
            e._1(), noTags, e._2())))
        .asScala();
  }

  private Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> byTag(String tag, long offset, long maxOffset,
                                                                      long max) {
    return rows(prepared(byTag, offset, maxOffset, tag, max));
  }

  /** Events of one entity with a sequence number in [from, to], at most {@code max}, in order. */
  Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messages(String persistenceId, long from, long to, long max) {
    return rows(prepared(byPersistenceId, persistenceId, from, to, max));
  }

  /** The orderings after {@code offset}, at most {@code limit}, ascending (the read journal's gap detection). */
  Source<Object, NotUsed> orderings(long offset, long limit) {
    return page(prepared(orderings, offset, limit), rs -> (Object) rs.getLong(1)).asScala();
  }

  /** {@code sql} prepared with {@code params} bound in order. */
  private static Statement prepared(String sql, Object... params) {
    return c -> {
      PreparedStatement st = c.prepareStatement(sql);
      for (int i = 0; i < params.length; i++) st.setObject(i + 1, params[i]);
      return st;
    };
  }

  private interface Statement {
    PreparedStatement prepare(Connection c) throws SQLException;
  }

  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> rows(Statement statement) {
    return page(statement, rs -> {
      byte[] meta = rs.getBytes(11);
      int metaSerId = rs.getInt(12);
      Option<Object> metaId = rs.wasNull() ? Option.empty() : Option.apply(metaSerId);
      return new JournalPekkoSerializationRow(rs.getLong(1), rs.getBoolean(2), rs.getString(3), rs.getLong(4),
          rs.getString(5), rs.getLong(6), rs.getString(7), rs.getBytes(8), rs.getInt(9), rs.getString(10),
          Option.apply(meta), metaId, Option.apply(rs.getString(13)));
    }).map(row -> PekkoSerialization.fromRow(serialization, row)).asScala();
  }

  /** Runs {@code statement} on a database thread, reads every row of its result into one list, and streams it. */
  private <T> org.apache.pekko.stream.javadsl.Source<T, NotUsed> page(Statement statement, RowReader<T> reader) {
    SimpleJdbcAction<List<T>> action = SimpleJdbcAction.apply(ctx -> {
      try (PreparedStatement st = statement.prepare(ctx.connection()); ResultSet rs = st.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) out.add(reader.read(rs));
        return out;
      } catch (SQLException e) {
        throw new IllegalStateException("journal query failed: " + e.getMessage(), e);
      }
    });
    // DBIOAction's effect type parameter is contravariant in Scala; Java needs the raw type to see that
    @SuppressWarnings({"unchecked", "rawtypes"})
    Future<List<T>> rows = db.run((slick.dbio.DBIOAction) action);
    return org.apache.pekko.stream.javadsl.Source.future(rows).mapConcat(list -> list);
  }
}
