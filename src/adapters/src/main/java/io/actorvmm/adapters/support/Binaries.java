package io.actorvmm.adapters.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds executables on the PATH. */
public final class Binaries {

  private Binaries() {}

  /** The executable {@code name} on the PATH (or {@code name} itself when it is a path), if any. */
  public static Optional<Path> find(String name) {
    if (name.contains("/")) {
      Path p = Path.of(name);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** The executable, or an IllegalArgumentException "NAME not found: install PACKAGE". */
  public static Path require(String name, String debianPackage) {
    return find(name).orElseThrow(() ->
        new IllegalArgumentException(name + " not found: install " + debianPackage));
  }
}
