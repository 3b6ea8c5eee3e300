package io.actorvmm.cli;

import io.actorvmm.domain.Ids;
import java.util.List;

/** A reference to one entity of the journal, {@code type:id} ({@code vm:web-1}). */
public record EntityRef(String type, String id) {
  /** The entity types the audit log knows. */
  public static final List<String> TYPES = List.of("host", "vm", "app", "service");

  /** Reads type:id; anything else is bad usage. */
  public static EntityRef parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    String type = colon < 0 ? null : text.substring(0, colon);
    String id = colon < 0 ? null : text.substring(colon + 1);
    if (type == null || !TYPES.contains(type) || !Ids.valid(id)) {
      throw CliException.usage("bad entity '" + text + "'; use type:id with type one of "
          + String.join(", ", TYPES) + " (vm:web-1)");
    }
    return new EntityRef(type, id);
  }

  /** type:id. */
  @Override
  public String toString() {
    return type + ":" + id;
  }
}
