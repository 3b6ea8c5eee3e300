package io.actorvmm.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.cli.AvmCli;
import io.actorvmm.cli.CliEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the avm CLI in this JVM against one node, capturing exit code, stdout and stderr. */
final class Cli {
  private final String address;
  private final CliEnvironment env;

  /**
   * The CLI talking to the node at {@code address} (127.0.0.1:port) as user {@code user}: $USER is
   * {@code user}, and $AVM_TOKEN a token of that user (an operator on /, created through the API as the
   * node's admin), so the audit trail records the user as who did it.
   */
  Cli(String address, String user) {
    this(address, variables(address, user));
  }

  private Cli(String address, Map<String, String> variables) {
    this.address = address;
    this.env = CliEnvironment.system().withVariables(variables).withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30));
  }

  /** The CLI with $USER only: no token, no config directory, so it finds a local node's admin token itself. */
  static Cli withoutToken(String address, String user) {
    return new Cli(address, Map.of("USER", user));
  }

  /** The CLI with exactly these environment variables. */
  static Cli withVariables(String address, Map<String, String> variables) {
    return new Cli(address, variables);
  }

  private static Map<String, String> variables(String address, String user) {
    String token = new Api(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)), user).token();
    return token == null ? Map.of("USER", user) : Map.of("USER", user, "AVM_TOKEN", token);
  }

  /** One run's result. */
  record Result(int code, String out, String err) {
    JsonNode json() {
      try {
        return Api.JSON.readTree(out);
      } catch (JsonProcessingException e) {
        throw new AssertionError("output is not JSON: " + out, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  /** {@code avm ADDRESS args...}. */
  Result run(String... args) {
    List<String> full = new ArrayList<>();
    full.add(address);
    full.addAll(List.of(args));
    return runRaw(full.toArray(String[]::new));
  }

  /** {@code avm ADDRESS args...} reading standard input from {@code input}. */
  Result runWithInput(String input, String... args) {
    List<String> full = new ArrayList<>();
    full.add(address);
    full.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AvmCli.run(full.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
        new java.io.BufferedReader(new java.io.StringReader(input)), env);
    return new Result(code, out.toString(), err.toString());
  }

  /** {@code avm args...} with no address added. */
  Result runRaw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AvmCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), null, env);
    return new Result(code, out.toString(), err.toString());
  }
}
