package io.actorvmm.domain;

import java.util.regex.Pattern;

/** The shape every entity id must have: it appears in URLs, journal keys and CLI arguments. */
public final class Ids {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private Ids() {}

  /** True when {@code id} is a valid entity id. */
  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The one-line message for an invalid id. */
  public static String problem(String what, String id) {
    if (id == null || id.isBlank()) return what + " is missing";
    return what + " '" + Limits.clip(id) + "' must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";
  }
}
