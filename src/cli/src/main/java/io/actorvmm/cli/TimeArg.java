package io.actorvmm.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads a time argument: an ISO-8601 instant, or a local date-time, date or time taken as UTC. */
public final class TimeArg {
  /** The help text describing the accepted forms. */
  public static final String FORMS = "T is an ISO-8601 instant (2026-11-21T10:42:00Z or with an offset, +01:00); "
      + "a date-time without zone (2026-11-21T10:42:00) is UTC, a date (2026-11-21) is its midnight UTC, "
      + "and a bare time (10:42) is today in UTC.";

  private TimeArg() {}

  /** The instant {@code text} names; {@code clock} gives "today" for a bare time. Anything else is bad usage. */
  public static Instant parse(String option, String text, Clock clock) {
    String t = text == null ? "" : text.strip().replace(' ', 'T');
    try {
      if (t.matches("\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?")) {
        if (t.indexOf(':') == 1) t = "0" + t;
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).atTime(LocalTime.parse(t)).toInstant(ZoneOffset.UTC);
      }
      if (t.matches("\\d{4}-\\d{2}-\\d{2}")) return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
      if (t.matches(".*T.*([Zz]|[+-]\\d{2}:\\d{2})")) return OffsetDateTime.parse(t.toUpperCase()).toInstant();
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw CliException.usage("bad time for " + option + ": '" + text + "'; use 2026-11-21T10:42:00Z, "
          + "2026-11-21T10:42:00 (UTC) or 10:42 (today, UTC)");
    }
  }
}
