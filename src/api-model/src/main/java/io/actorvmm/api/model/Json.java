package io.actorvmm.api.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapper configuration of the wire format, shared by the API and the CLI. */
public final class Json {
  private Json() {}

  /**
   * A mapper that writes ISO dates and durations ("PT5M" for an autoscale window, which it also reads)
   * and ignores unknown fields (missing numbers read as 0 and are refused by validation).
   */
  public static ObjectMapper mapper() {
    ObjectMapper plain = base().build();
    SimpleModule defaults = new SimpleModule("avm-defaults");
    defaults.addDeserializer(VmSpec.class, new VmSpecDefaults(plain));
    return base().addModule(defaults).build();
  }

  /**
   * Reads a VM spec with the defaults a user expects where the JSON leaves a field out: a VM is
   * relocatable unless it says {@code "relocatable": false} (as for {@code POST /api/vms}).
   */
  private static final class VmSpecDefaults extends StdDeserializer<VmSpec> {
    private final ObjectMapper plain;

    VmSpecDefaults(ObjectMapper plain) {
      super(VmSpec.class);
      this.plain = plain;
    }

    @Override
    public VmSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode n = ctxt.readTree(p);
      if (n instanceof ObjectNode o && (!o.has("relocatable") || o.get("relocatable").isNull())) {
        o.put("relocatable", true);
      }
      return plain.treeToValue(n, VmSpec.class);
    }
  }

  private static JsonMapper.Builder base() {
    return JsonMapper.builder()
        .findAndAddModules()
        // named as well, so a class path without the modules' service files still reads java.time values
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
