package io.actorvmm.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A program a host's runtime starts instead of a virtual machine (the "process" runtime type): its
 * command line, working directory and environment, and the health check that decides when it runs.
 * {@code health} is {@code tcp:PORT}, {@code tcp:HOST:PORT}, an {@code http://} URL answered with a
 * 2xx status, or null when the program counts as running once it has started.
 */
public record ProgramSpec(List<String> command, String workDir, Map<String, String> env, String health) {

  /** Copies the collections so the record stays immutable. */
  public ProgramSpec {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** Every problem with this program as one-line messages; empty when it is valid. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) out.add("program command is missing");
    if (health != null && !health.isBlank() && !health.startsWith("tcp:") && !health.startsWith("http://")) {
      out.add("program health must be tcp:PORT, tcp:HOST:PORT or an http:// URL");
    }
    add(out, Limits.text("program health", health));
    add(out, Limits.text("program workDir", workDir, Limits.MAX_PROGRAM_TEXT));
    add(out, Limits.size("program command", command));
    if (command.stream().anyMatch(a -> a != null && a.length() > Limits.MAX_PROGRAM_TEXT)) {
      out.add("program command arguments must be at most " + Limits.MAX_PROGRAM_TEXT + " characters each");
    }
    add(out, Limits.size("program env", env));
    if (env.entrySet().stream().anyMatch(e -> e.getKey().length() > Limits.MAX_TEXT
        || e.getValue().length() > Limits.MAX_PROGRAM_TEXT)) {
      out.add("program env names must be at most " + Limits.MAX_TEXT + " characters and values at most "
          + Limits.MAX_PROGRAM_TEXT);
    }
    return out;
  }

  private static void add(List<String> out, String problem) {
    if (problem != null) out.add(problem);
  }
}
