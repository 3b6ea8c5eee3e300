package io.actorvmm.adapters;

import java.util.Map;

/**
 * Where a target host awaits a live migration: the stream address (e.g. {@code tcp:127.0.0.1:4444})
 * and whatever else the target offers the source, such as {@code nbd} (the address of a disk export
 * the source mirrors its disk into).
 */
public record MigrationEndpoint(String uri, Map<String, String> details) {

  /** Copies the details so the record stays immutable. */
  public MigrationEndpoint {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** An endpoint with no details. */
  public MigrationEndpoint(String uri) {
    this(uri, Map.of());
  }
}
