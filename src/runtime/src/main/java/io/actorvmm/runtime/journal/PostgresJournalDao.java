package io.actorvmm.runtime.journal;

import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The journal DAO of the PostgreSQL profile: {@link PagedJournalDao}, except that a batch of tagged
 * events is written by {@link BatchJournalWriter} (one JDBC batch instead of one INSERT round trip per
 * event; each event with its tag row in one statement). Deletes and untagged batches are the plugin's own.
 */
public final class PostgresJournalDao extends PagedJournalDao {
  private final BatchJournalWriter writer;

  public PostgresJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
                            Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    this.writer = new BatchJournalWriter(db, journalConfig);
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> xs) {
    return BatchJournalWriter.tagged(xs) ? writer.write(xs) : super.writeJournalRows(xs);
  }
}
