package io.actorvmm.domain.restart;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * When a VM found not running is started again: {@code always} (also after it stopped by itself),
 * {@code on-failure} (after a crash or when it vanished, not after a clean stop of its own), or
 * {@code never}.
 */
public enum RestartMode {
  ALWAYS("always"), ON_FAILURE("on-failure"), NEVER("never");

  private final String label;

  RestartMode(String label) {
    this.label = label;
  }

  /** The name users write in JSON and see in the CLI. */
  public String label() {
    return label;
  }

  /** The mode named {@code label}, or null when no mode has that name. */
  public static RestartMode parse(String label) {
    for (RestartMode m : values()) {
      if (m.label.equals(label)) return m;
    }
    return null;
  }

  /** The names of every mode, for messages: "always, on-failure or never". */
  public static String names() {
    String all = Arrays.stream(values()).map(RestartMode::label).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }
}
