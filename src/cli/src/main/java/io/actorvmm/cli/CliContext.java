package io.actorvmm.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.net.http.HttpClient;

/**
 * What one run of a command line works with: its writers, the input of an interactive session
 * (null when there is none), the environment, the session's settings and one HTTP client.
 */
public final class CliContext {
  private final PrintWriter out;
  private final PrintWriter err;
  private final BufferedReader in;
  private final CliEnvironment env;
  private final Session session;
  private final HttpHolder http;

  /** Shares one HTTP client between the lines of an interactive session. */
  private static final class HttpHolder {
    private HttpClient client;
  }

  private CliContext(PrintWriter out, PrintWriter err, BufferedReader in, CliEnvironment env, Session session,
                     HttpHolder http) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = env;
    this.session = session;
    this.http = http;
  }

  /** A context for one command line; {@code in} is the interactive input or null. */
  public static CliContext of(PrintWriter out, PrintWriter err, BufferedReader in, CliEnvironment env) {
    return new CliContext(out, err, in, env, Session.NONE, new HttpHolder());
  }

  /** The context of one line of an interactive session: same writers and client, no nested prompt. */
  public CliContext forLine(Session lineSession) {
    return new CliContext(out, err, null, env, lineSession, http);
  }

  /** The standard output writer. */
  public PrintWriter out() { return out; }

  /** The error writer. */
  public PrintWriter err() { return err; }

  /** The interactive input, or null for a one-shot command. */
  public BufferedReader in() { return in; }

  /** The environment. */
  public CliEnvironment env() { return env; }

  /** The interactive session's settings, or {@link Session#NONE}. */
  public Session session() { return session; }

  /** The HTTP client, made on first use (HTTP/1.1, the configured connect timeout). */
  public synchronized HttpClient http() {
    if (http.client == null) {
      http.client = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(env.connectTimeout())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
    }
    return http.client;
  }
}
