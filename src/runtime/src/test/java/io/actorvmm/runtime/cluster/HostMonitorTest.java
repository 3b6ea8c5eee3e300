package io.actorvmm.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** Which hosts believed up the monitor finds without a member, by the members' statuses. */
class HostMonitorTest {

  private static Member member(int port, MemberStatus status, String... roles) {
    Set<String> all = new java.util.HashSet<>(List.of(roles));
    all.add("dc-default");
    return new Member(new UniqueAddress(new Address("pekko", "avm", "127.0.0.1", port), (long) port), 1, status,
        CollectionConverters.asScala(all).toSet(), Version.Zero());
  }

  @Test
  void aHostWithoutAMemberThatRunsItIsMissing() {
    List<Member> members = List.of(
        member(1, MemberStatus.up(), "seed", "host", "host-id:h1"),
        member(2, MemberStatus.weaklyUp(), "host", "host-id:h2"),
        member(3, MemberStatus.leaving(), "host", "host-id:h3"),
        member(4, MemberStatus.exiting(), "host", "host-id:h4"),
        member(5, MemberStatus.down(), "host", "host-id:h5"),
        member(6, MemberStatus.joining(), "host", "host-id:h6"));
    // h6's member only joins; h7 has none at all (its node was the oldest and is gone)
    assertEquals(Set.of("h6", "h7"),
        HostMonitor.hostsWithoutMember(members, List.of("h1", "h2", "h3", "h4", "h5", "h6", "h7")));
  }

  @Test
  void noMembersMeansEveryBelievedUpHostIsMissing() {
    assertEquals(Set.of("h1"), HostMonitor.hostsWithoutMember(List.of(), List.of("h1")));
    assertEquals(Set.of(), HostMonitor.hostsWithoutMember(List.of(member(1, MemberStatus.up(), "seed")), List.of()));
  }
}
