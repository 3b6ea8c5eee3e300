package io.actorvmm.runtime.journal;

import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.config.ReadJournalConfig;
import org.apache.pekko.persistence.jdbc.query.dao.DefaultReadJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.scaladsl.Source;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/** The read journal DAO of the H2 profile: the plugin's, with the two queries of {@link JournalSql}. */
public final class H2ReadJournalDao extends DefaultReadJournalDao {
  private final JournalSql sql;

  public H2ReadJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, ReadJournalConfig config,
                          Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, config, serialization, ec, mat);
    this.sql = new JournalSql(db, serialization, config.eventJournalTableConfiguration(),
        config.eventTagTableConfiguration());
  }

  @Override
  public Source<Try<Tuple3<PersistentRepr, Set<String>, Object>>, NotUsed> eventsByTag(String tag, long offset,
                                                                                      long maxOffset, long max) {
    if (max > JournalSql.MAX_PAGE) return super.eventsByTag(tag, offset, maxOffset, max);
    return sql.eventsByTag(tag, offset, maxOffset, max);
  }

  @Override
  public Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messages(String persistenceId, long fromSequenceNr,
                                                                      long toSequenceNr, long max) {
    if (max > JournalSql.MAX_PAGE) return super.messages(persistenceId, fromSequenceNr, toSequenceNr, max);
    return sql.messages(persistenceId, fromSequenceNr, toSequenceNr, max);
  }
}
