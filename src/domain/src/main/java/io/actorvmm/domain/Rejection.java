package io.actorvmm.domain;

/**
 * A refused command's reason, tagged with its kind so every transport maps it the same way
 * (HTTP 400/404/409). The tag travels inside the message text because replies cross the
 * cluster as plain strings.
 */
public record Rejection(Kind kind, String message) {

  /** Why a command was refused. */
  public enum Kind { INVALID, NOT_FOUND, CONFLICT, UNAVAILABLE }

  private static final String SEP = "|";

  /** A rejection for bad input. */
  public static String invalid(String message) { return new Rejection(Kind.INVALID, message).encode(); }

  /** A rejection for something that does not exist. */
  public static String notFound(String message) { return new Rejection(Kind.NOT_FOUND, message).encode(); }

  /** A rejection for a command that clashes with the current state. */
  public static String conflict(String message) { return new Rejection(Kind.CONFLICT, message).encode(); }

  /** A rejection because a needed part of the cluster cannot answer now. */
  public static String unavailable(String message) { return new Rejection(Kind.UNAVAILABLE, message).encode(); }

  /** The wire form: kind, separator, message. */
  public String encode() {
    return kind.name() + SEP + message;
  }

  /** Reads the wire form; text without a tag counts as a conflict. */
  public static Rejection decode(String text) {
    if (text == null) return new Rejection(Kind.CONFLICT, "refused");
    int i = text.indexOf(SEP);
    if (i > 0) {
      try {
        return new Rejection(Kind.valueOf(text.substring(0, i)), text.substring(i + 1));
      } catch (IllegalArgumentException ignored) {
        // not one of ours: fall through
      }
    }
    return new Rejection(Kind.CONFLICT, text);
  }
}
