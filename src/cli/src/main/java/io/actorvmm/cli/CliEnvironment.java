package io.actorvmm.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What the CLI takes from its surroundings: environment variables, the clock (for times like
 * {@code 10:42}, meaning today) and the HTTP timeouts. Tests pass their own.
 */
public record CliEnvironment(Function<String, String> getenv, Clock clock, Duration connectTimeout,
                             Duration requestTimeout) {

  /** The environment variable naming the node to talk to (host:port). */
  public static final String ADDRESS_VARIABLE = "AVM_ADDRESS";

  /** The real process environment, UTC clock, 10 s connect and 30 s request timeouts. */
  public static CliEnvironment system() {
    return new CliEnvironment(System::getenv, Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  /** This environment with its variables replaced by {@code variables}. */
  public CliEnvironment withVariables(Map<String, String> variables) {
    Map<String, String> copy = Map.copyOf(variables);
    return new CliEnvironment(copy::get, clock, connectTimeout, requestTimeout);
  }

  /** This environment with one more variable (over the others). */
  public CliEnvironment withVariable(String name, String value) {
    Function<String, String> under = getenv;
    return new CliEnvironment(n -> n.equals(name) ? value : under.apply(n), clock, connectTimeout, requestTimeout);
  }

  /** This environment with another clock. */
  public CliEnvironment withClock(Clock other) {
    return new CliEnvironment(getenv, other, connectTimeout, requestTimeout);
  }

  /** This environment with other HTTP timeouts. */
  public CliEnvironment withTimeouts(Duration connect, Duration request) {
    return new CliEnvironment(getenv, clock, connect, request);
  }

  /** The user the CLI names itself as: {@code $USER}, else the JVM's {@code user.name}. */
  public String defaultUser() {
    String user = getenv.apply("USER");
    if (user != null && !user.isBlank()) return user;
    String name = System.getProperty("user.name");
    return name == null || name.isBlank() ? "unknown" : name;
  }
}
