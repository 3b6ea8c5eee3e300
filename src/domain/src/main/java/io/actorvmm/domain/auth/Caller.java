package io.actorvmm.domain.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who asks for something: the principal, the API token it authenticated with (null for the system's
 * own actors) and the caller's annotation (null when none). Commands carry it as one text, {@link #text()},
 * which also reads well where a reason quotes it ("requested by dana (token 1f2e3d4c5b6a7988)");
 * {@link io.actorvmm.domain.EventMeta#now} splits it again, so events keep the three apart.
 */
public record Caller(String principal, String token, String note) {
  private static final Pattern TEXT = Pattern.compile("(\\S+) \\(token ([0-9a-f]+)(?:; note: ([^()]*))?\\)");
  private static final int NOTE_MAX = 100;

  /** A caller of the API. */
  public Caller {
    if (principal == null || principal.isBlank()) principal = "unknown";
    note = clean(note);
  }

  /** The system actor {@code name}, without token or note. */
  public static Caller system(String name) {
    return new Caller(name, null, null);
  }

  /** The one-text form commands carry. */
  public String text() {
    if (token == null) return principal;
    return principal + " (token " + token + (note == null ? "" : "; note: " + note) + ")";
  }

  /** Reads {@link #text()} back; any other text is a principal of its own (a system actor's name). */
  public static Caller parse(String text) {
    if (text == null || text.isBlank()) return new Caller("unknown", null, null);
    Matcher m = TEXT.matcher(text);
    if (m.matches()) return new Caller(m.group(1), m.group(2), m.group(3));
    return new Caller(text, null, null);
  }

  /** The principal of a caller's text, for reasons that quote who asked ("requested by dana"). */
  public static String name(String text) {
    return parse(text).principal();
  }

  /** An annotation as it may be recorded: one line, no parentheses, at most 100 characters; null when empty. */
  static String clean(String note) {
    if (note == null) return null;
    String s = note.replaceAll("[\\p{Cntrl}()]", " ").strip();
    if (s.isEmpty()) return null;
    return s.length() > NOTE_MAX ? s.substring(0, NOTE_MAX) : s;
  }
}
