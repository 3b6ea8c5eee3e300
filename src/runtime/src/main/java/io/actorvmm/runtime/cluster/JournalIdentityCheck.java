package io.actorvmm.runtime.cluster;

import com.typesafe.config.Config;
import java.util.List;
import org.apache.pekko.cluster.ConfigValidation;
import org.apache.pekko.cluster.Invalid;
import org.apache.pekko.cluster.JoinConfigCompatChecker;
import org.apache.pekko.cluster.Valid$;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Refuses a node whose journal is not the cluster's: both sides of a join compare the identity each
 * node read from its journal before it started ({@link #ID}, see {@code JournalSchema.identity}). A node
 * on another journal would otherwise run entities whose events the cluster never sees, and the cluster
 * would run the same entities on its own journal. Registered under
 * {@code pekko.cluster.configuration-compatibility-check.checkers}.
 */
public final class JournalIdentityCheck extends JoinConfigCompatChecker {
  /** The configuration path of the node's journal id. */
  public static final String ID = "avm.journal-identity.id";
  /** The configuration path of where the node's journal is (its JDBC address without options). */
  public static final String WHERE = "avm.journal-identity.where";

  @Override
  public Seq<String> requiredKeys() {
    return CollectionConverters.asScala(List.of(ID, WHERE)).toList();
  }

  @Override
  public ConfigValidation check(Config toCheck, Config actualConfig) {
    if (!actualConfig.hasPath(ID)) return Valid$.MODULE$;
    String mine = actualConfig.getString(ID);
    String theirs = toCheck.hasPath(ID) ? toCheck.getString(ID) : "none";
    if (mine.equals(theirs)) return Valid$.MODULE$;
    String theirWhere = toCheck.hasPath(WHERE) ? toCheck.getString(WHERE) : "unknown";
    return new Invalid(CollectionConverters.asScala(List.of("journal " + theirs + " (" + theirWhere
        + ") is not this cluster's journal " + mine + " (" + actualConfig.getString(WHERE) + ")")).toList());
  }

  /** Where a journal is, for messages: its JDBC address without options (which could carry secrets). */
  public static String where(String jdbcUrl) {
    int cut = jdbcUrl.length();
    for (char c : new char[] {';', '?'}) {
      int i = jdbcUrl.indexOf(c);
      if (i >= 0) cut = Math.min(cut, i);
    }
    return jdbcUrl.substring(0, cut);
  }
}
