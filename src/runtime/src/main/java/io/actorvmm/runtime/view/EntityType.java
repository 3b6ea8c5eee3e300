package io.actorvmm.runtime.view;

import java.util.Locale;

/** The kinds of entity in the journal, with the user-facing reference form {@code type:id}. */
public enum EntityType {
  HOST("Host"), VM("Vm"), APP("App"), SERVICE("Service"), MOVE("Move"), TOKEN("Token"), USER("User");

  private final String typeName;

  EntityType(String typeName) {
    this.typeName = typeName;
  }

  /** The sharding type name, which prefixes persistence ids ({@code Vm|web-1}). */
  public String typeName() {
    return typeName;
  }

  /** The reference of entity {@code id} of this type ({@code vm:web-1}). */
  public String ref(String id) {
    return name().toLowerCase(Locale.ROOT) + ":" + id;
  }

  /** The persistence id of entity {@code id} of this type. */
  public String persistenceId(String id) {
    return typeName + "|" + id;
  }

  /** A parsed reference: a type and an id. */
  public record Ref(EntityType type, String id) {
    /** The persistence id. */
    public String persistenceId() {
      return type.persistenceId(id);
    }

    @Override
    public String toString() {
      return type.ref(id);
    }
  }

  /** Parses {@code type:id}; throws IllegalArgumentException with a user-facing message when malformed. */
  public static Ref parseRef(String ref) {
    int i = ref == null ? -1 : ref.indexOf(':');
    if (i <= 0 || i == ref.length() - 1) {
      throw new IllegalArgumentException("entity must be type:id with type host, vm, app, service, move, token or user, not '" + ref + "'");
    }
    String t = ref.substring(0, i).toUpperCase(Locale.ROOT);
    for (EntityType type : values()) {
      if (type.name().equals(t)) return new Ref(type, ref.substring(i + 1));
    }
    throw new IllegalArgumentException("unknown entity type '" + ref.substring(0, i) + "': use host, vm, app, service, move, token or user");
  }

  /** The reference of a persistence id ({@code Vm|web-1} → {@code vm:web-1}), or the id itself when unknown. */
  public static String refOfPersistenceId(String persistenceId) {
    int i = persistenceId.indexOf('|');
    if (i > 0) {
      String t = persistenceId.substring(0, i);
      for (EntityType type : values()) {
        if (type.typeName.equals(t)) return type.ref(persistenceId.substring(i + 1));
      }
    }
    return persistenceId;
  }

}
