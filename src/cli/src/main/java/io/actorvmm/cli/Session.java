package io.actorvmm.cli;

/**
 * Settings an interactive session hands to every line it runs: the address and the shared
 * options given when the session started. Null means "not given".
 */
public record Session(String address, GlobalOptions.Output output, Boolean verbose, String user) {
  /** No session: a one-shot command. */
  public static final Session NONE = new Session(null, null, null, null);
}
