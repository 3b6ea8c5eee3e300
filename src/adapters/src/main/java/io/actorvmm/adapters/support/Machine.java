package io.actorvmm.adapters.support;

import io.actorvmm.domain.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The capacity of a host: taken from options (cpu, memoryMiB, diskGiB, networkMbit), else from this machine. */
public final class Machine {

  private Machine() {}

  /** The capacity the options give, each missing figure measured on this machine for {@code dataDir}. */
  public static Resources capacity(Map<String, String> options, Path dataDir) {
    return new Resources(
        intOption(options, "cpu", Runtime.getRuntime().availableProcessors()),
        longOption(options, "memoryMiB", memTotalMiB()),
        longOption(options, "diskGiB", diskGiB(dataDir)),
        longOption(options, "networkMbit", 1000));
  }

  /** An integer option or its default; a malformed value is an IllegalArgumentException. */
  public static int intOption(Map<String, String> options, String key, int fallback) {
    return (int) longOption(options, key, fallback);
  }

  /** A long option or its default; a malformed value is an IllegalArgumentException. */
  public static long longOption(Map<String, String> options, String key, long fallback) {
    String v = options.get(key);
    if (v == null || v.isBlank()) return fallback;
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + key + " must be a whole number, not '" + v + "'");
    }
  }

  private static long memTotalMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().maxMemory() >> 20;
    }
    return Runtime.getRuntime().maxMemory() >> 20;
  }

  private static long diskGiB(Path dataDir) {
    try {
      Path p = dataDir;
      while (p != null && !Files.exists(p)) p = p.getParent();
      return p == null ? 0 : Files.getFileStore(p).getUsableSpace() >> 30;
    } catch (IOException e) {
      return 0;
    }
  }
}
