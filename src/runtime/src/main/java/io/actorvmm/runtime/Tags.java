package io.actorvmm.runtime;

import java.util.Set;

/** Journal tags: every event carries the audit tag, so the audit read side sees all of them in journal order. */
public final class Tags {
  /** The tag on every event of every entity. */
  public static final String AUDIT = "avm";
  /** The tag set given to every event. */
  public static final Set<String> ALL = Set.of(AUDIT);

  private Tags() {}
}
