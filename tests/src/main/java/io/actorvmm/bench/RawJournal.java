package io.actorvmm.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Plain JDBC on the journal's own tables: the baselines (batched inserts of journal rows and their
 * tag rows, as the journal plugin writes them; plain SELECTs of rows), and loading rows written by
 * entities so a baseline writes exactly the same bytes.
 */
final class RawJournal {
  private RawJournal() {}

  /** One journal row's content. */
  record Row(String pid, long seq, String writer, long timestamp, String adapterManifest, byte[] payload, int serId,
             String manifest) {

    Row withPid(String newPid) {
      return new Row(newPid, seq, writer, timestamp, adapterManifest, payload, serId, manifest);
    }
  }

  private static final String INSERT = "INSERT INTO \"event_journal\" (\"deleted\", \"persistence_id\", "
      + "\"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", "
      + "\"event_ser_id\", \"event_ser_manifest\") VALUES (false, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_TAG = "INSERT INTO \"event_tag\" (\"event_id\", \"tag\") VALUES (?, ?)";

  /** Serializes {@code event} with the system's serialization, as the journal would. */
  static Row serialize(ActorSystem<?> system, String pid, long seq, String writer, Object event) {
    Serialization ser = SerializationExtension.get(Adapter.toClassic(system));
    Serializer s = ser.findSerializerFor(event);
    return new Row(pid, seq, writer, System.currentTimeMillis(), "", s.toBinary(event), s.identifier(),
        Serializers.manifestFor(s, event));
  }

  /** The rows of the journal after ordering {@code afterOrdering}, in journal order. */
  static List<Row> load(Connection c, long afterOrdering) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT \"persistence_id\", \"sequence_number\", \"writer\", "
        + "\"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\" "
        + "FROM \"event_journal\" WHERE \"ordering\" > ? ORDER BY \"ordering\"")) {
      st.setLong(1, afterOrdering);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
              rs.getBytes(6), rs.getInt(7), rs.getString(8)));
        }
      }
    }
    return rows;
  }

  /**
   * Inserts {@code rows} in batches of {@code batchSize} on one connection, one transaction per batch;
   * with {@code tag} non-null each row also gets a tag row keyed by its generated ordering, as the
   * plugin does. Returns the elapsed nanoseconds.
   */
  static long insert(Connection c, List<Row> rows, int batchSize, String tag) throws SQLException {
    return insert(c, rows.size(), rows::get, batchSize, tag);
  }

  /** As {@link #insert(Connection, List, int, String)} for rows made on the fly by {@code row}. */
  static long insert(Connection c, int count, IntFunction<Row> row, int batchSize, String tag) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    long t0 = System.nanoTime();
    try (PreparedStatement ins = tag == null ? c.prepareStatement(INSERT)
            : c.prepareStatement(INSERT, new String[] {"ordering"});
         PreparedStatement tags = c.prepareStatement(INSERT_TAG)) {
      for (int from = 0; from < count; from += batchSize) {
        int to = Math.min(count, from + batchSize);
        for (int i = from; i < to; i++) {
          Row r = row.apply(i);
          ins.setString(1, r.pid());
          ins.setLong(2, r.seq());
          ins.setString(3, r.writer());
          ins.setLong(4, r.timestamp());
          ins.setString(5, r.adapterManifest());
          ins.setBytes(6, r.payload());
          ins.setInt(7, r.serId());
          ins.setString(8, r.manifest());
          ins.addBatch();
        }
        ins.executeBatch();
        if (tag != null) {
          int n = 0;
          try (ResultSet keys = ins.getGeneratedKeys()) {
            while (keys.next()) {
              tags.setLong(1, keys.getLong(1));
              tags.setString(2, tag);
              tags.addBatch();
              n++;
            }
          }
          if (n != to - from) throw new SQLException("expected " + (to - from) + " generated keys, got " + n);
          tags.executeBatch();
        }
        c.commit();
      }
    } finally {
      c.setAutoCommit(auto);
    }
    return System.nanoTime() - t0;
  }

  /**
   * Inserts {@code rows} the way pekko-persistence-jdbc 1.1 writes tagged events: Slick's insert
   * with {@code returning} does not batch, so each journal row is its own INSERT returning its
   * ordering; the tag rows of a batch then go in one batch. One transaction per {@code batchSize}
   * rows. Returns the elapsed nanoseconds.
   */
  static long insertRowByRow(Connection c, List<Row> rows, int batchSize, String tag) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    long t0 = System.nanoTime();
    try (PreparedStatement ins = c.prepareStatement(INSERT, new String[] {"ordering"});
         PreparedStatement tags = c.prepareStatement(INSERT_TAG)) {
      for (int from = 0; from < rows.size(); from += batchSize) {
        int to = Math.min(rows.size(), from + batchSize);
        for (int i = from; i < to; i++) {
          Row r = rows.get(i);
          ins.setString(1, r.pid());
          ins.setLong(2, r.seq());
          ins.setString(3, r.writer());
          ins.setLong(4, r.timestamp());
          ins.setString(5, r.adapterManifest());
          ins.setBytes(6, r.payload());
          ins.setInt(7, r.serId());
          ins.setString(8, r.manifest());
          ins.executeUpdate();
          try (ResultSet keys = ins.getGeneratedKeys()) {
            keys.next();
            tags.setLong(1, keys.getLong(1));
            tags.setString(2, tag);
            tags.addBatch();
          }
        }
        tags.executeBatch();
        c.commit();
      }
    } finally {
      c.setAutoCommit(auto);
    }
    return System.nanoTime() - t0;
  }

  /**
   * Reads every row of the persistence ids in sequence order with plain SELECTs, as replay does
   * (same columns), {@code pageSize} rows per query; returns the row count.
   */
  static long selectAll(Connection c, List<String> pids, int pageSize) throws SQLException {
    long n = 0;
    try (PreparedStatement st = c.prepareStatement("SELECT \"ordering\", \"persistence_id\", \"sequence_number\", "
        + "\"deleted\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", "
        + "\"event_ser_manifest\", \"meta_payload\", \"meta_ser_id\", \"meta_ser_manifest\" FROM \"event_journal\" "
        + "WHERE \"persistence_id\" = ? AND \"sequence_number\" >= ? "
        // both key columns: H2 reads the page straight from the primary key only when ordered by all of it
        + "ORDER BY \"persistence_id\", \"sequence_number\" LIMIT ?")) {
      for (String pid : pids) {
        long from = 1;
        while (true) {
          st.setString(1, pid);
          st.setLong(2, from);
          st.setInt(3, pageSize);
          int got = 0;
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              rs.getLong(1);
              rs.getString(2);
              from = rs.getLong(3) + 1;
              rs.getBoolean(4);
              rs.getString(5);
              rs.getLong(6);
              rs.getString(7);
              if (rs.getBytes(8).length == 0) throw new SQLException("empty payload");
              rs.getInt(9);
              rs.getString(10);
              rs.getBytes(11);
              rs.getInt(12);
              rs.getString(13);
              got++;
            }
          }
          n += got;
          if (got < pageSize) break;
        }
      }
    }
    return n;
  }

  /** Deletes the rows (and by cascade their tags) of persistence ids matching {@code pidPattern}. */
  static int delete(Connection c, String pidPattern) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM \"event_journal\" WHERE \"persistence_id\" LIKE ?")) {
      st.setString(1, pidPattern);
      return st.executeUpdate();
    }
  }

  /** The highest ordering in the journal (0 when empty). */
  static long maxOrdering(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT max(\"ordering\") FROM \"event_journal\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long count(Connection c, String where) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM \"event_journal\"" + (where == null ? "" : " WHERE " + where))) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
