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

  /** The CLI talking to the node at {@code address} (host:port), with $USER set to {@code user}. */
  Cli(String address, String user) {
    this.address = address;
    this.env = CliEnvironment.system().withVariables(Map.of("USER", user))
        .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30));
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

  /** {@code avm args...} with no address added. */
  Result runRaw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AvmCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), null, env);
    return new Result(code, out.toString(), err.toString());
  }
}
