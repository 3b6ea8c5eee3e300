package io.actorvmm.adapters.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a process's use from /proc: CPU percent (of one core) over the interval since the previous
 * reading of the same process, and resident memory. Linux only; other systems read as zero.
 */
public final class ProcStats {

  /** Kernel clock ticks per second (USER_HZ), 100 on every common Linux build. */
  private static final double TICKS_PER_SECOND = 100.0;

  private record Sample(long ticks, long nanos) {}

  private final Map<Long, Sample> last = new ConcurrentHashMap<>();

  /** CPU use of {@code pid} in percent of one core since the previous call for it (0 on the first). */
  public double cpuPercent(long pid) {
    long ticks = cpuTicks(pid);
    long now = System.nanoTime();
    if (ticks < 0) return 0;
    Sample prev = last.put(pid, new Sample(ticks, now));
    if (prev == null || now <= prev.nanos()) return 0;
    double seconds = (now - prev.nanos()) / 1e9;
    return Math.max(0, (ticks - prev.ticks()) / TICKS_PER_SECOND / seconds * 100.0);
  }

  /** Forgets the samples of {@code pid}. */
  public void forget(long pid) {
    last.remove(pid);
  }

  /** User plus system CPU ticks of {@code pid}, or -1 when it cannot be read. */
  public static long cpuTicks(long pid) {
    String[] f = statFields(pid);
    if (f == null || f.length < 13) return -1;
    // after "pid (comm)": state is field 0, utime field 11, stime field 12
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The one-letter state of {@code pid} ('R', 'S', 'Z' ...), or 0 when there is no such process. */
  public static char state(long pid) {
    String[] f = statFields(pid);
    return f == null || f.length == 0 || f[0].isEmpty() ? 0 : f[0].charAt(0);
  }

  /**
   * When {@code pid} started, in clock ticks since the machine booted (0 when there is no such
   * process): with the pid, it names one process for good, since pids are reused.
   */
  public static long startTicks(long pid) {
    String[] f = statFields(pid);
    try {
      return f == null || f.length < 20 ? 0 : Long.parseLong(f[19]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** True when {@code pid} exists and is not a zombie. */
  public static boolean alive(long pid) {
    char s = state(pid);
    return s != 0 && s != 'Z' && s != 'X';
  }

  /** Resident memory of {@code pid} in KiB (VmRSS), or 0 when it cannot be read. */
  public static long rssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** The NUL-separated command line of {@code pid} as one string with spaces, or "" when unreadable. */
  public static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** The arguments of {@code pid}'s command line, or an empty list when unreadable. */
  public static java.util.List<String> argv(long pid) {
    try {
      String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
      return raw.isEmpty() ? java.util.List.of() : java.util.List.of(raw.split("\0"));
    } catch (IOException e) {
      return java.util.List.of();
    }
  }

  /** The environment entries ("NAME=value") of {@code pid}, or an empty list when unreadable (another user's). */
  public static java.util.List<String> environ(long pid) {
    try {
      String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")));
      return raw.isEmpty() ? java.util.List.of() : java.util.List.of(raw.split("\0"));
    } catch (IOException e) {
      return java.util.List.of();
    }
  }

  /** The ids of the processes /proc lists now (empty on systems without /proc). */
  public static java.util.List<Long> pids() {
    java.util.List<Long> out = new java.util.ArrayList<>();
    try (var dir = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : dir) {
        try {
          out.add(Long.parseLong(p.getFileName().toString()));
        } catch (NumberFormatException ignored) {
          // not a process directory
        }
      }
    } catch (IOException | RuntimeException e) {
      return out;
    }
    return out;
  }

  private static String[] statFields(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = s.lastIndexOf(')');
      return close < 0 ? null : s.substring(close + 2).trim().split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
