package io.actorvmm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the CLI finds its API token, first found wins: {@code $AVM_TOKEN}; the token {@code avm login}
 * saved in the user's config directory ({@code $AVM_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/avm}, else
 * {@code ~/.config/avm}), file {@code token}; and for a node on this machine, once it answers 401, the
 * admin token file of its data directory (see {@link NodeClient}). The token is never printed.
 */
public final class Credentials {
  /** The variable that holds a token. */
  public static final String TOKEN_VARIABLE = "AVM_TOKEN";
  /** The file name of the saved token in the config directory. */
  public static final String TOKEN_FILE = "token";

  private Credentials() {}

  /** The user's config directory for avm, or null when the environment names none. */
  public static Path configDir(CliEnvironment env) {
    String own = env.getenv().apply("AVM_CONFIG_DIR");
    if (own != null && !own.isBlank()) return Path.of(own);
    String xdg = env.getenv().apply("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "avm");
    String home = env.getenv().apply("HOME");
    return home == null || home.isBlank() ? null : Path.of(home, ".config", "avm");
  }

  /** The token from $AVM_TOKEN or the config directory, or null. */
  public static String token(CliEnvironment env) {
    String fromEnv = env.getenv().apply(TOKEN_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) return fromEnv.strip();
    Path dir = configDir(env);
    return dir == null ? null : read(dir.resolve(TOKEN_FILE));
  }

  /** The first line of {@code file}, or null when it is missing or unreadable. */
  static String read(Path file) {
    try {
      if (!Files.isReadable(file)) return null;
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return text.isEmpty() ? null : text.lines().findFirst().orElse(null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Saves {@code token} in the config directory, readable by its owner only; returns the file. */
  public static Path save(CliEnvironment env, String token) {
    Path dir = configDir(env);
    if (dir == null) throw new CliException("no config directory: set HOME, XDG_CONFIG_HOME or AVM_CONFIG_DIR", CliException.FAILURE);
    Path file = dir.resolve(TOKEN_FILE);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".token-", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new CliException("cannot save the token in " + dir + ": " + e.getMessage(), CliException.FAILURE, e);
    }
  }
}
