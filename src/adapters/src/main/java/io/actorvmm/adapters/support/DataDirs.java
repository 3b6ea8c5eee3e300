package io.actorvmm.adapters.support;

import io.actorvmm.adapters.AdapterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/** Copies, measures and deletes directory trees of VM data, reporting copy progress in percent. */
public final class DataDirs {

  private static final int CHUNK = 1 << 20;

  private DataDirs() {}

  /** The total size of the regular files under {@code dir} (0 when it does not exist). */
  public static long size(Path dir) {
    if (!Files.exists(dir)) return 0;
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(DataDirs::fileSize).sum();
    } catch (IOException e) {
      throw new AdapterException("cannot measure " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies the tree {@code from} into {@code to} (created; files there are replaced), skipping files
   * for which {@code skip} answers true, and reports progress by bytes copied, ending with 100.
   */
  public static long copy(Path from, Path to, java.util.function.Predicate<Path> skip, IntConsumer progress) {
    try {
      List<Path> files = new ArrayList<>();
      try (Stream<Path> s = Files.walk(from)) {
        s.filter(Files::isRegularFile).filter(p -> !skip.test(from.relativize(p))).forEach(files::add);
      }
      long total = files.stream().mapToLong(DataDirs::fileSize).sum();
      Files.createDirectories(to);
      long done = 0;
      int lastPct = -1;
      byte[] buf = new byte[CHUNK];
      for (Path f : files) {
        Path dest = to.resolve(from.relativize(f).toString());
        Files.createDirectories(dest.getParent());
        try (InputStream in = Files.newInputStream(f); OutputStream out = Files.newOutputStream(dest)) {
          int n;
          while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            done += n;
            int pct = total == 0 ? 99 : (int) Math.min(99, done * 100 / total);
            if (pct != lastPct) {
              progress.accept(pct);
              lastPct = pct;
            }
          }
        }
      }
      progress.accept(100);
      return total;
    } catch (IOException e) {
      throw new AdapterException("copy of " + from + " failed: " + e.getMessage(), e);
    }
  }

  /** Deletes the tree {@code dir} if it exists. */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new AdapterException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The directory a {@code file:} uri names, or an AdapterException for another scheme. */
  public static Path fromUri(String uri) {
    if (!uri.startsWith("file:")) throw new AdapterException("cannot import bundle " + uri + ": not a file: bundle");
    return Path.of(java.net.URI.create(uri));
  }

  private static long fileSize(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
