package io.actorvmm.cli;

/** A failure the CLI reports as one line on stderr, with the exit code it ends the command with. */
public class CliException extends RuntimeException {
  /** Exit code for a command that failed (node unreachable, timeout, server error). */
  public static final int FAILURE = 1;
  /** Exit code for bad usage: bad arguments, or a request the node refused as bad, unknown or clashing. */
  public static final int USAGE = 2;

  private final int exitCode;

  /** A failure with its one-line message and exit code. */
  public CliException(String message, int exitCode) {
    this(message, exitCode, null);
  }

  /** A failure with its one-line message, exit code and the exception behind it (shown only with --verbose). */
  public CliException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A bad-usage failure: the command line or a file it names is wrong; nothing was sent. */
  public static CliException usage(String message) {
    return new CliException(message, USAGE);
  }

  /** The exit code this failure ends the command with. */
  public int exitCode() {
    return exitCode;
  }
}
