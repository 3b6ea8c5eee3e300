package io.actorvmm.adapters.libvirt;

import io.actorvmm.adapters.AdapterException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code virsh -c URI} shell kept open: commands are written to its standard input one at a
 * time, each followed by {@code echo <marker>}, and its output (standard error merged) is read up to
 * the marker. Lines starting with "error:" make the command fail with that text. Keeping one session
 * keeps one libvirt connection, which the {@code test:///default} driver needs: its state lives only
 * as long as the connection.
 */
final class VirshSession implements AutoCloseable {

  private static final String PROMPT = "virsh # ";

  private final Process process;
  private final OutputStream in;
  private final StringBuilder output = new StringBuilder();
  private boolean ended;
  private final long timeoutMillis;
  private long counter;

  VirshSession(Path virsh, String uri, long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
    try {
      process = new ProcessBuilder(virsh.toString(), "-q", "-c", uri).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AdapterException("cannot start virsh: " + e.getMessage(), e);
    }
    in = process.getOutputStream();
    Thread reader = new Thread(this::pump, "virsh-reader");
    reader.setDaemon(true);
    reader.start();
    run("uri"); // fails here when the connection cannot be opened
  }

  /** Runs one virsh command and returns its output lines; an "error:" line fails it. */
  synchronized List<String> run(String command) {
    if (!process.isAlive()) throw new AdapterException("virsh session has ended");
    String marker = "__avm_" + (++counter) + "__";
    try {
      in.write((command + "\necho " + marker + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new AdapterException("virsh " + command + " failed: " + e.getMessage(), e);
    }
    String text = awaitMarker(marker, command);
    List<String> out = new ArrayList<>();
    String error = null;
    for (String line : text.split("\n")) {
      int prompt = line.indexOf(PROMPT);
      if (prompt >= 0) line = line.substring(0, prompt); // the shell's prompt and the echoed command
      line = line.strip();
      if (line.startsWith("error:")) {
        error = error == null ? line.substring(6).trim() : error + " " + line.substring(6).trim();
      } else if (!line.isEmpty()) {
        out.add(line);
      }
    }
    if (error != null) throw new AdapterException("virsh " + command.split(" ")[0] + " failed: " + error);
    return out;
  }

  /**
   * Waits for the output of {@code echo marker} (the marker not preceded by "echo ", which is the
   * shell echoing the command itself) and returns everything before it, keeping what follows.
   */
  private String awaitMarker(String marker, String command) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (output) {
      while (true) {
        int from = 0;
        int at;
        while ((at = output.indexOf(marker, from)) >= 0) {
          if (at >= 5 && output.substring(at - 5, at).equals("echo ")) {
            from = at + marker.length();
            continue;
          }
          String text = output.substring(0, at);
          output.delete(0, at + marker.length());
          return text;
        }
        if (ended) throw new AdapterException("virsh ended during " + command);
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) throw new AdapterException("virsh " + command + ": no answer within " + timeoutMillis + " ms");
        try {
          output.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AdapterException("interrupted during virsh " + command);
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    try {
      in.write("quit\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      in.close();
    } catch (IOException ignored) {
      // virsh already gone
    }
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void pump() {
    try (var r = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
      char[] buf = new char[4096];
      int n;
      while ((n = r.read(buf)) > 0) {
        synchronized (output) {
          output.append(buf, 0, n);
          output.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the session ended
    }
    synchronized (output) {
      ended = true;
      output.notifyAll();
    }
  }
}
