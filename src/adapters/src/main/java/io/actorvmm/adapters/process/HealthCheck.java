package io.actorvmm.adapters.process;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;

/**
 * A program's health check: {@code tcp:PORT} and {@code tcp:HOST:PORT} pass once a TCP connection is
 * accepted, an {@code http://} URL once a GET answers 2xx; a null or blank check always passes.
 */
public final class HealthCheck {

  private static final int TIMEOUT_MILLIS = 500;

  private final String spec;

  /** A check as a {@link io.actorvmm.domain.ProgramSpec} writes it. */
  public HealthCheck(String spec) {
    this.spec = spec == null || spec.isBlank() ? null : spec.trim();
  }

  /** True when the check passes now. */
  public boolean passes() {
    if (spec == null) return true;
    if (spec.startsWith("http://")) return httpOk(spec);
    if (spec.startsWith("tcp:")) return tcpOpen(spec.substring(4));
    return false;
  }

  /** True when {@code hostPort} ("PORT" or "HOST:PORT", HOST defaulting to 127.0.0.1) accepts a connection. */
  public static boolean tcpOpen(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : hostPort.substring(0, colon);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))), TIMEOUT_MILLIS);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean httpOk(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      c.setConnectTimeout(TIMEOUT_MILLIS);
      c.setReadTimeout(TIMEOUT_MILLIS);
      try {
        int code = c.getResponseCode();
        return code >= 200 && code < 300;
      } finally {
        c.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return spec == null ? "none" : spec;
  }
}
