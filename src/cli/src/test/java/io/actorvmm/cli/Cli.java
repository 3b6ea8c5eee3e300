package io.actorvmm.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Runs the CLI in-process with captured writers. */
final class Cli {
  /** "Now" in every test: 2026-11-21T15:00:00Z. */
  static final Instant NOW = Instant.parse("2026-11-21T15:00:00Z");

  /** What a run printed and returned. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private Cli() {}

  /** A test environment: USER=alice, no AVM_ADDRESS, a fixed clock, short timeouts. */
  static CliEnvironment env() {
    return env(Map.of("USER", "alice"));
  }

  /** A test environment with these variables. */
  static CliEnvironment env(Map<String, String> variables) {
    return CliEnvironment.system()
        .withVariables(variables)
        .withClock(Clock.fixed(NOW, ZoneOffset.UTC))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  /** Runs one command line in the test environment. */
  static Result run(String... args) {
    return run(env(), args);
  }

  /** Runs one command line in {@code env}. */
  static Result run(CliEnvironment env, String... args) {
    return run(env, null, args);
  }

  /** Runs with interactive input. */
  static Result interactive(CliEnvironment env, String input, String... args) {
    return run(env, new BufferedReader(new StringReader(input)), args);
  }

  private static Result run(CliEnvironment env, BufferedReader in, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = AvmCli.run(args, new PrintWriter(out), new PrintWriter(err), in, env);
    return new Result(exit, out.toString(), err.toString());
  }
}
