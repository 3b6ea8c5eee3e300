package io.actorvmm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The base of every verb: the shared options, the node client and output helpers; returns the exit code. */
public abstract class NodeCommand implements Callable<Integer> {

  /** The shared options (--output, --verbose, --user, --help). */
  @Mixin
  protected GlobalOptions globals;

  /** This command's model, for its writers. */
  @Spec
  protected CommandSpec spec;

  /** A client for the node this command talks to. */
  protected NodeClient node() {
    CliContext ctx = globals.context();
    return new NodeClient(ctx.http(), globals.address(), globals.user(), Credentials.token(ctx.env()),
        ctx.env().requestTimeout());
  }

  /** The command's output writer. */
  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The run's context (environment, clock). */
  protected CliContext context() {
    return globals.context();
  }

  /** Prints {@code body} as JSON, or reads it as {@code type} and renders it as text; returns 0. */
  protected <T> int answer(JsonNode body, Class<T> type, Consumer<T> text) {
    if (globals.output() == GlobalOptions.Output.JSON) return printJson(body);
    text.accept(read(body, NodeClient.MAPPER.getTypeFactory().constructType(type)));
    return 0;
  }

  /** Prints {@code body} as JSON, or reads it as {@code type} (a list, say) and renders it as text; returns 0. */
  protected <T> int answer(JsonNode body, TypeReference<T> type, Consumer<T> text) {
    if (globals.output() == GlobalOptions.Output.JSON) return printJson(body);
    text.accept(read(body, NodeClient.MAPPER.getTypeFactory().constructType(type)));
    return 0;
  }

  private <T> T read(JsonNode body, JavaType type) {
    try {
      return NodeClient.MAPPER.readerFor(type).readValue(body);
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new CliException("unexpected answer from the node: " + Format.firstLine(why), CliException.FAILURE, e);
    }
  }

  /** Prints the node's JSON answer pretty-printed; returns 0. */
  protected int printJson(JsonNode body) {
    try {
      out().println(NodeClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new CliException("cannot print the answer: " + e.getOriginalMessage(), CliException.FAILURE, e);
    }
    return 0;
  }
}
