package io.actorvmm.runtime.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.apache.pekko.coordination.lease.javadsl.Lease;

/**
 * A Pekko lease kept in the journal's own database (table {@code avm_lease}, H2 or PostgreSQL), so that
 * two clusters on one journal can never run the same shard or singleton: whoever holds the row runs it.
 *
 * <p>Acquiring, renewing and releasing are single conditional statements, and expiry is judged by the
 * database's clock. The owner is the node's address plus its actor system's uid, so a node restarted on
 * the same address is another owner than the incarnation before it. All leases of one node are renewed
 * together by its {@link LeaseKeeper}, one statement per heartbeat. {@link #checkLease()} turns false as
 * soon as a renewal fails or is late; the lease counts as lost (and the lost callback runs) once the
 * database says another owner has it, or no renewal succeeded for heartbeat-timeout minus one
 * heartbeat-interval, which is before the database would let anyone else take it.
 *
 * <p>Configured under {@code avm.lease} ({@code lease-class} names this class); see application.conf.
 */
public final class JdbcLease extends Lease {
  private final LeaseSettings settings;
  private final LeaseKeeper keeper;
  private final String owner;
  private final String table;
  private final Duration timeout;
  private final Duration interval;
  // state shared with the keeper's thread
  volatile boolean held;
  volatile boolean lastRenewalFailed;
  volatile long renewedAtNanos;
  volatile Consumer<Optional<Throwable>> onLost = x -> { };

  /** Made by Pekko's lease provider for each lease name and owner. */
  public JdbcLease(LeaseSettings settings, ExtendedActorSystem system) {
    this.settings = settings;
    this.owner = settings.ownerName() + "#" + Long.toUnsignedString(system.uid(), 36);
    this.table = settings.leaseConfig().hasPath("table") ? settings.leaseConfig().getString("table")
        : io.actorvmm.runtime.JournalSchema.LEASE_TABLE;
    this.timeout = settings.timeoutSettings().getHeartbeatTimeout();
    this.interval = settings.timeoutSettings().getHeartbeatInterval();
    if (interval.multipliedBy(2).compareTo(timeout) > 0) {
      throw new IllegalArgumentException("lease " + settings.leaseName() + ": heartbeat-interval ("
          + interval.toMillis() + " ms) must be at most half of heartbeat-timeout (" + timeout.toMillis() + " ms)");
    }
    this.keeper = LeaseKeeper.get(system, table, interval, settings.timeoutSettings().getOperationTimeout());
  }

  @Override
  public LeaseSettings getSettings() {
    return settings;
  }

  /** The lease's name. */
  public String name() {
    return settings.leaseName();
  }

  /** This lease's owner as written in the table: the node's address and its actor system's uid. */
  public String owner() {
    return owner;
  }

  Duration timeout() {
    return timeout;
  }

  /** How long after its last successful renewal began a lease still counts as held here. */
  long validNanos() {
    return timeout.minus(interval).toNanos();
  }

  @Override
  public CompletionStage<Boolean> acquire() {
    return acquire(x -> { });
  }

  @Override
  public CompletionStage<Boolean> acquire(Consumer<Optional<Throwable>> leaseLostCallback) {
    this.onLost = leaseLostCallback;
    return keeper.acquire(this);
  }

  @Override
  public CompletionStage<Boolean> release() {
    return keeper.release(this);
  }

  @Override
  public boolean checkLease() {
    return held && !lastRenewalFailed && System.nanoTime() - renewedAtNanos < validNanos();
  }

  String table() {
    return table;
  }
}
