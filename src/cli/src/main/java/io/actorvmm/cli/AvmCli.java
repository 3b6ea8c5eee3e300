package io.actorvmm.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code avm} command-line tool: entry points and the mapping of failures to one line and an exit code. */
public final class AvmCli {
  private AvmCli() {}

  /** Runs one command line; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, null);
  }

  /** With no command: an interactive prompt {@code avm> } reading lines from {@code in} until EOF or exit/quit; returns 0. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, BufferedReader in) {
    return run(args, out, err, in, CliEnvironment.system());
  }

  /** As {@link #run(String[], PrintWriter, PrintWriter, BufferedReader)} with a given environment (tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err, BufferedReader in, CliEnvironment env) {
    return execute(args, CliContext.of(out, err, in, env));
  }

  /** Runs {@code avm} in this process with the console's streams and exits with the command's code. */
  public static void main(String[] args) {
    Charset charset = consoleCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, charset));
    System.exit(run(args, out, err, in));
  }

  /** Java 17 picks the default charset from the locale, often ASCII in containers; terminals today speak UTF-8. */
  private static Charset consoleCharset() {
    String enc = System.getProperty("sun.stdout.encoding");
    try {
      if (enc != null) return Charset.forName(enc);
    } catch (RuntimeException ignored) {
      // unknown name: use UTF-8
    }
    return StandardCharsets.UTF_8;
  }

  /** Parses and runs one command line in {@code context}; returns the exit code. */
  static int execute(String[] args, CliContext context) {
    AvmCommand root = new AvmCommand(context);
    CommandLine cli = new CommandLine(root);
    cli.setOut(context.out());
    cli.setErr(context.err());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((ex, a) -> usageError(root, ex));
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, cmd));
    try {
      return cli.execute(args);
    } finally {
      context.out().flush();
      context.err().flush();
    }
  }

  /** A parse error: one line, a suggestion when picocli has one, and where to find help; exit 2. */
  private static int usageError(AvmCommand root, ParameterException ex) {
    PrintWriter err = ex.getCommandLine().getErr();
    if (root.address() != null && !NodeAddress.looksLike(root.address())) {
      // "avm hots list": the mistyped noun was taken for the address positional
      err.println("error: unknown command '" + root.address() + "'; commands: " + root.nouns());
      err.println("Run 'avm --help' for usage.");
      return CliException.USAGE;
    }
    err.println("error: " + Format.firstLine(ex.getMessage()));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
    return CliException.USAGE;
  }

  /** A failure while running: one line, the stack trace only with --verbose. */
  private static int failure(Exception ex, CommandLine cmd) {
    PrintWriter err = cmd.getErr();
    GlobalOptions globals = GlobalOptions.of(cmd.getCommandSpec());
    boolean verbose = false;
    try {
      verbose = globals != null && globals.verbose();
    } catch (RuntimeException ignored) {
      // resolving options must never hide the failure being reported
    }
    int code;
    if (ex instanceof CliException c) {
      err.println("error: " + c.getMessage());
      code = c.exitCode();
    } else {
      err.println("error: " + ex.getClass().getSimpleName()
          + (ex.getMessage() == null ? "" : ": " + Format.firstLine(ex.getMessage())));
      code = CliException.FAILURE;
    }
    if (verbose) ex.printStackTrace(err);
    return code;
  }
}
