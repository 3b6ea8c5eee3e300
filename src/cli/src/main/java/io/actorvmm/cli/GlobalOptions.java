package io.actorvmm.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command takes, mixed into each of them so they work at any position
 * ({@code avm --output json vm list} and {@code avm vm list --output json}). A value given
 * closer to the verb wins; then the interactive session's; then the default.
 */
public final class GlobalOptions {

  /** How results are printed. */
  public enum Output { TEXT, JSON }

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(names = {"-o", "--output"}, paramLabel = "text|json",
      description = "text: aligned tables and key: value blocks (default); json: the node's JSON answer, pretty-printed.")
  private Output output;

  @Option(names = "--verbose", description = "Show stack traces of failures.")
  private Boolean verbose;

  @Option(names = "--user", paramLabel = "NAME",
      description = "The name the node records as who did it (default: $USER).")
  private String user;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  /** The output format in effect for this command. */
  public Output output() {
    for (GlobalOptions g : chain()) if (g.output != null) return g.output;
    Output fromSession = context().session().output();
    return fromSession != null ? fromSession : Output.TEXT;
  }

  /** True when stack traces should be shown. */
  public boolean verbose() {
    for (GlobalOptions g : chain()) if (g.verbose != null) return g.verbose;
    Boolean fromSession = context().session().verbose();
    return fromSession != null && fromSession;
  }

  /** The user name sent in {@code X-Avm-User}. */
  public String user() {
    for (GlobalOptions g : chain()) if (g.user != null) return g.user;
    String fromSession = context().session().user();
    return fromSession != null ? fromSession : context().env().defaultUser();
  }

  /** The root command of this command line. */
  public AvmCommand root() {
    return (AvmCommand) mixee.root().userObject();
  }

  /** The run's context. */
  public CliContext context() {
    return root().context();
  }

  /** The address this command talks to (the command line's, the session's, AVM_ADDRESS's or the default). */
  public NodeAddress address() {
    return NodeAddress.resolve(root().address(), context().session().address(), context().env());
  }

  /** This command's options, then each enclosing command's, up to the root. */
  private List<GlobalOptions> chain() {
    List<GlobalOptions> out = new ArrayList<>();
    for (CommandSpec s = mixee; s != null; s = s.parent()) {
      GlobalOptions g = of(s);
      if (g != null) out.add(g);
    }
    return out;
  }

  /** The options mixed into {@code spec}, or null when it has none. */
  public static GlobalOptions of(CommandSpec spec) {
    for (CommandSpec mixin : spec.mixins().values()) {
      if (mixin.userObject() instanceof GlobalOptions g) return g;
    }
    return null;
  }
}
