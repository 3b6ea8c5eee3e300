package io.actorvmm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** The interactive prompt: reads lines until EOF, exit or quit, and runs each as a command against the session's node. */
final class InteractiveSession {
  /** The prompt printed before each line. */
  static final String PROMPT = "avm> ";

  private final CliContext context;
  private final Session session;

  InteractiveSession(CliContext context, Session session) {
    this.context = context;
    this.session = session;
  }

  /** Runs the session; 0 at EOF or exit, 1 when the input cannot be read. A failing line does not end it. */
  int run() {
    PrintWriter out = context.out();
    PrintWriter err = context.err();
    out.println("avm: talking to " + session.address() + "; type help for commands, exit to leave.");
    while (true) {
      out.print(PROMPT);
      out.flush();
      String line;
      try {
        line = context.in().readLine();
      } catch (IOException e) {
        err.println("error: cannot read input: " + e.getMessage());
        err.flush();
        return CliException.FAILURE;
      }
      if (line == null) {
        out.println();
        return 0;
      }
      List<String> words;
      try {
        words = Words.split(line);
      } catch (CliException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        continue;
      }
      // habit from the shell: "avm host list" at the prompt means "host list"
      if (!words.isEmpty() && words.get(0).equals("avm")) words = words.subList(1, words.size());
      if (words.isEmpty()) continue;
      if (words.size() == 1 && (words.get(0).equals("exit") || words.get(0).equals("quit"))) return 0;
      AvmCli.execute(words.toArray(String[]::new), context.forLine(session));
    }
  }
}
