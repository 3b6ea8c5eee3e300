package io.actorvmm.dist;

import io.actorvmm.cli.AvmCli;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The single entry point of ./avm: `node` and `demo` run a node here; everything else is the CLI. */
public final class Main {
  private Main() {}

  /** Dispatches on the first word. */
  public static void main(String[] args) {
    io.actorvmm.runtime.AvmRuntime.useCommonPoolForAsyncCallbacks();
    io.actorvmm.runtime.AvmRuntime.confineEmbeddedDatabase();
    if (args.length > 0 && (args[0].equals("node") || args[0].equals("demo"))) {
      PrintWriter out = new PrintWriter(System.out, true);
      PrintWriter err = new PrintWriter(System.err, true);
      Object command = args[0].equals("node") ? new NodeCommand() : new DemoCommand();
      CommandLine cl = new CommandLine(command).setOut(out).setErr(err)
          .setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            return 2;
          });
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      int code = cl.execute(rest);
      if (code != 0) System.exit(code);
      return; // the node keeps running in its own threads until it is stopped
    }
    AvmCli.main(args);
  }
}
