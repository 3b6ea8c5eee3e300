package io.actorvmm.runtime.journal;

import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.scaladsl.Source;
import scala.Tuple2;
import scala.concurrent.ExecutionContext;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The journal DAO of both profiles: the plugin's, with recovery reading each page as {@link JournalSql}
 * does. The H2 profile uses it as it is (there a batch returning keys is no faster than single inserts);
 * the PostgreSQL profile's {@link PostgresJournalDao} also batches writes.
 */
public class PagedJournalDao extends DefaultJournalDao {
  private final JournalSql sql;

  public PagedJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig config,
                         Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, config, serialization, ec, mat);
    this.sql = new JournalSql(db, serialization, config.eventJournalTableConfiguration(),
        config.eventTagTableConfiguration());
  }

  @Override
  public Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messages(String persistenceId, long fromSequenceNr,
                                                                      long toSequenceNr, long max) {
    if (max > JournalSql.MAX_PAGE) return super.messages(persistenceId, fromSequenceNr, toSequenceNr, max);
    return sql.messages(persistenceId, fromSequenceNr, toSequenceNr, max);
  }
}
