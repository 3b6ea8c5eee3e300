package io.actorvmm.adapters.support;

import io.actorvmm.adapters.AdapterException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds free TCP ports on the loopback interface. */
public final class Ports {

  private Ports() {}

  /** A port nothing listens on right now at 127.0.0.1. */
  public static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AdapterException("no free port: " + e.getMessage(), e);
    }
  }
}
