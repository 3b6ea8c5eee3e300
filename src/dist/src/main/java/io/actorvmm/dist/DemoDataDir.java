package io.actorvmm.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The data directory of one {@code ./avm demo}: it records the hypervisor kind it was made with in a
 * marker file, so a demo of another kind does not take over a journal whose VMs its hosts cannot run
 * (the journal would show simulated VMs running on hosts that only offer programs).
 *
 * <p>Directories made before the marker existed are recognised by the service file the demo writes
 * into them ({@code service-<kind>.json}); one of a single kind is taken as that kind's.
 */
final class DemoDataDir {
  /** The marker file: the hypervisor kind, one line. */
  static final String MARKER = "demo-hypervisor";
  private static final String SERVICE_PREFIX = "service-";
  private static final String SERVICE_SUFFIX = ".json";

  /** A reason the demo will not use (or delete) a directory; its message is one line for the user. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private DemoDataDir() {}

  /** The default data directory of a demo of {@code kind}: {@code <base>/demo-<kind>}. */
  static Path defaultFor(Path base, String kind) {
    return base.resolve("demo-" + kind);
  }

  /**
   * Makes {@code dir} ready for a demo of {@code kind}: empties it first when {@code fresh}, refuses
   * a directory made by another kind or one that is not a demo's, and records the kind.
   */
  static void prepare(Path dir, String kind, boolean fresh) throws Refused, IOException {
    if (fresh && Files.exists(dir)) {
      if (!isEmptyDir(dir) && !looksLikeDemo(dir)) {
        throw new Refused("--fresh will not delete " + dir + ": it is not a demo data directory (no " + MARKER
            + " file); choose another --data-dir");
      }
      deleteTree(dir);
    }
    Files.createDirectories(dir);
    String recorded = recordedKind(dir);
    if (recorded == null) {
      if (!isEmptyDir(dir)) {
        // without this, a mistyped --data-dir would gain a marker, and a later --fresh would wipe it
        throw new Refused(dir + " is not empty and is not a demo data directory; choose another --data-dir");
      }
      Files.writeString(dir.resolve(MARKER), kind + "\n");
    } else if (!recorded.equals(kind)) {
      String maker = recorded.contains(" and ") ? "demos of " + recorded : "the " + recorded + " demo";
      throw new Refused(dir + " was made by " + maker + ", not the " + kind + " one: add --fresh to start it over, "
          + "or choose another --data-dir");
    } else if (!Files.exists(dir.resolve(MARKER))) {
      Files.writeString(dir.resolve(MARKER), kind + "\n");
    }
  }

  /**
   * The kind {@code dir} was made with: its marker, else the kind of its only service file; null
   * when it has neither; "a and b" for an old directory used by demos of several kinds.
   */
  static String recordedKind(Path dir) throws IOException {
    Path marker = dir.resolve(MARKER);
    if (Files.isRegularFile(marker)) return Files.readString(marker).trim();
    Set<String> kinds = serviceKinds(dir);
    if (kinds.isEmpty()) return null;
    return String.join(" and ", kinds);
  }

  /** True when {@code dir} was made by a demo: it has the marker or a demo's service file. */
  static boolean looksLikeDemo(Path dir) throws IOException {
    return Files.isRegularFile(dir.resolve(MARKER)) || !serviceKinds(dir).isEmpty();
  }

  private static Set<String> serviceKinds(Path dir) throws IOException {
    Set<String> kinds = new TreeSet<>();
    if (!Files.isDirectory(dir)) return kinds;
    try (Stream<Path> files = Files.list(dir)) {
      files.map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith(SERVICE_PREFIX) && n.endsWith(SERVICE_SUFFIX))
          .map(n -> n.substring(SERVICE_PREFIX.length(), n.length() - SERVICE_SUFFIX.length()))
          .filter(k -> !k.isEmpty())
          .forEach(kinds::add);
    }
    return kinds;
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return !Files.exists(dir);
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    // deepest first; symbolic links are removed, never followed
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
