package io.actorvmm.domain.service;

/** What an autoscaling check decided: +1 (one more replica), -1 (one fewer) or 0, and why in one line. */
public record ScaleStep(int delta, String reason) {

  /** True when the replica count should change. */
  public boolean changes() {
    return delta != 0;
  }
}
