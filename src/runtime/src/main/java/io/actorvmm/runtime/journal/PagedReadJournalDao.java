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

/**
 * The read journal DAO of both profiles: the plugin's, except that its three queries (events by tag and
 * the journal's orderings, which the read sides poll; one entity's events, for history and replay) read
 * each page with plain JDBC into one list ({@link JournalSql}) instead of through Slick's row-by-row
 * streaming; same rows, same order.
 */
public final class PagedReadJournalDao extends DefaultReadJournalDao {
  private final JournalSql sql;

  public PagedReadJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, ReadJournalConfig config,
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

  @Override
  public Source<Object, NotUsed> journalSequence(long offset, long limit) {
    return sql.orderings(offset, limit);
  }
}
