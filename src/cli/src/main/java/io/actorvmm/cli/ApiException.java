package io.actorvmm.cli;

/** The node answered with an error status; its message is the server's {@code error} line. */
public final class ApiException extends CliException {
  private final int status;

  /** An error answer: its HTTP status and the server's one-line message. */
  public ApiException(int status, String message) {
    super(message, exitCodeFor(status));
    this.status = status;
  }

  /** The HTTP status the node answered with. */
  public int status() {
    return status;
  }

  /**
   * 4xx means the request was wrong (bad input, unknown id, clashes with the state): the user
   * can fix the command, so it counts as bad usage. 5xx (503 included) is the cluster failing.
   */
  static int exitCodeFor(int status) {
    return status >= 400 && status < 500 ? USAGE : FAILURE;
  }
}
