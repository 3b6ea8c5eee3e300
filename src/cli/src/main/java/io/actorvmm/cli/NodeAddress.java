package io.actorvmm.cli;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The address of a node's HTTP API: a host (name, IPv4 or bracketed IPv6) and a port. */
public record NodeAddress(String host, int port) {

  /** The address used when neither the command line nor {@code AVM_ADDRESS} names one. */
  public static final String DEFAULT = "127.0.0.1:9110";

  private static final Pattern FORM =
      Pattern.compile("(?:https?://)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})/?");

  /** True when {@code text} has the host:port form (so it is an address, not a mistyped command). */
  public static boolean looksLike(String text) {
    return text != null && FORM.matcher(text).matches();
  }

  /** Reads host:port; {@code source} names where the text came from for the error message. */
  public static NodeAddress parse(String text, String source) {
    Matcher m = text == null ? null : FORM.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw CliException.usage(source + " '" + text + "' is not a node address; use host:port, e.g. " + DEFAULT);
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      throw CliException.usage(source + " '" + text + "' has no valid port (1-65535)");
    }
    return new NodeAddress(m.group(1), port);
  }

  /**
   * The address a command talks to: the command line's, else the interactive session's, else
   * {@code AVM_ADDRESS}, else {@link #DEFAULT}.
   */
  public static NodeAddress resolve(String commandLine, String session, CliEnvironment env) {
    if (commandLine != null) return parse(commandLine, "address");
    if (session != null) return parse(session, "address");
    String fromEnv = env.getenv().apply(CliEnvironment.ADDRESS_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) return parse(fromEnv, CliEnvironment.ADDRESS_VARIABLE);
    return parse(DEFAULT, "address");
  }

  /** The URI of {@code pathAndQuery} (starting with '/') on this node. */
  public URI uri(String pathAndQuery) {
    return URI.create("http://" + this + pathAndQuery);
  }

  /** True when the node is on this machine (a loopback address or localhost). */
  public boolean isLoopback() {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }

  /** host:port, the form users type. */
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
