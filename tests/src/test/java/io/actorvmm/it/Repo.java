package io.actorvmm.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root: the tests run in tests/, so it is the parent that holds ./avm. */
final class Repo {
  private Repo() {}

  /** The directory holding ./avm and config/. */
  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("avm")) && Files.isDirectory(p.resolve("config"))) return p;
    }
    throw new IllegalStateException("no ./avm above " + here + "; run the tests from the tests/ module");
  }

  /** The patent's e-commerce service definition. */
  static Path ecommerce() {
    return root().resolve("config/ecommerce.json");
  }
}
