package io.actorvmm.api.model;

import java.util.List;

/** The cluster as one node sees it. */
public record ClusterInfo(String self, String leader, String oldest, List<Member> members, List<String> unreachable) {

  /** One member: its address, status (Up, Leaving, ...), roles and age rank. */
  public record Member(String address, String status, List<String> roles, int upNumber) {}
}
