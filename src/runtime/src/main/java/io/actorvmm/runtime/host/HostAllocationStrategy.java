package io.actorvmm.runtime.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Allocates host {@code X}'s shard to the node whose roles include {@code host-id:X} while that node
 * is up, so the entity talks to the host's control program locally; otherwise to the node with the
 * fewest host shards. Rebalancing moves a shard home once its node is back.
 */
public final class HostAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

  /** The role prefix a node takes for each host it runs. */
  public static final String ROLE_PREFIX = "host-id:";

  private volatile Cluster cluster;

  @Override
  public void start(ActorSystem system) {
    cluster = Cluster.get(system);
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
                                        Map<ActorRef, IndexedSeq<String>> current) {
    ActorRef home = homeRegion(shardId, current);
    if (home != null) return Future.successful(home);
    ActorRef least = requester;
    int fewest = Integer.MAX_VALUE;
    for (var e : current.entrySet()) {
      if (e.getValue().size() < fewest) {
        fewest = e.getValue().size();
        least = e.getKey();
      }
    }
    return Future.successful(least);
  }

  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
    Set<String> moves = new HashSet<>();
    for (var e : current.entrySet()) {
      List<String> shards = new ArrayList<>();
      e.getValue().foreach(shards::add);
      for (String shard : shards) {
        ActorRef home = homeRegion(shard, current);
        if (home != null && !home.equals(e.getKey()) && !inProgress.contains(shard)) moves.add(shard);
      }
    }
    return Future.successful(moves);
  }

  private ActorRef homeRegion(String hostId, Map<ActorRef, IndexedSeq<String>> current) {
    if (cluster == null) return null;
    Address homeAddress = null;
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() && m.getRoles().contains(ROLE_PREFIX + hostId)
          && !cluster.state().getUnreachable().contains(m)) {
        homeAddress = m.address();
      }
    }
    if (homeAddress == null) return null;
    Map<Address, ActorRef> byAddress = new HashMap<>();
    for (ActorRef region : current.keySet()) {
      Address a = region.path().address();
      byAddress.put(a.hasLocalScope() ? cluster.selfAddress() : a, region);
    }
    return byAddress.get(homeAddress);
  }
}
