package io.actorvmm.cli;

import io.actorvmm.cli.app.AppCommand;
import io.actorvmm.cli.audit.AuditCommand;
import io.actorvmm.cli.cluster.ClusterCommand;
import io.actorvmm.cli.cluster.ClusterShardingCommand;
import io.actorvmm.cli.host.HostCommand;
import io.actorvmm.cli.placement.PlacementCommand;
import io.actorvmm.cli.service.ServiceCommand;
import io.actorvmm.cli.vm.VmCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The root command {@code avm [host:port] <noun> <verb>}; without a noun it opens the interactive prompt. */
@Command(name = "avm",
    versionProvider = AvmCommand.Version.class,
    customSynopsis = {"avm [OPTIONS] [HOST:PORT] <noun> <verb> [ARGS]",
        "       avm [OPTIONS] [HOST:PORT]    (no command: an interactive prompt)"},
    description = "Operates an ActorVmm cluster through one node's HTTP API.",
    subcommands = {ClusterCommand.class, ClusterShardingCommand.class, HostCommand.class, VmCommand.class,
        AppCommand.class, ServiceCommand.class, PlacementCommand.class, AuditCommand.class, io.actorvmm.cli.auth.TokenCommand.class, io.actorvmm.cli.auth.UserCommand.class,
        io.actorvmm.cli.auth.AuthCommand.class, io.actorvmm.cli.auth.Login.class, HelpCommand.class},
    footerHeading = "%n",
    footer = {
        "The node is HOST:PORT, else $AVM_ADDRESS, else " + NodeAddress.DEFAULT + ".",
        "Exit codes: 0 ok; 2 bad usage, or the node refused the request (400, 404, 409);",
        "            1 the node is unreachable, timed out or failed (503, 5xx)."})
public final class AvmCommand implements Callable<Integer> {

  private final CliContext context;

  @Mixin
  private GlobalOptions globals;

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "HOST:PORT",
      description = "The node to talk to (default: $AVM_ADDRESS, else " + NodeAddress.DEFAULT + ").")
  private String address;

  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
  private boolean version;

  /** A root command for one run. */
  public AvmCommand(CliContext context) {
    this.context = context;
  }

  /** The run's context. */
  public CliContext context() {
    return context;
  }

  /** The address given on the command line, or null. */
  public String address() {
    return address;
  }

  /** No noun: the interactive prompt when there is an input, otherwise bad usage. */
  @Override
  public Integer call() {
    checkAddress();
    if (context.in() == null) {
      throw CliException.usage("no command given. Run 'avm --help' for usage.");
    }
    Session session = new Session(globals.address().toString(), globals.output(), globals.verbose(), globals.user());
    return new InteractiveSession(context, session).run();
  }

  /** Fails with a clear message when the positional is neither a command nor host:port (a mistyped noun). */
  void checkAddress() {
    if (address != null && !NodeAddress.looksLike(address)) {
      throw CliException.usage("unknown command '" + address + "'; commands: " + nouns());
    }
  }

  /** The nouns, comma-separated. */
  String nouns() {
    return String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList());
  }

  /** The implementation version from the jar's manifest, when there is one. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = AvmCommand.class.getPackage().getImplementationVersion();
      return new String[] {"avm " + (v == null ? "(development build)" : v)};
    }
  }
}
