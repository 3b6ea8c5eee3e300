package io.actorvmm.api.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MutableCoercionConfig;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.util.AccessPattern;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actorvmm.domain.VmSpec;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapper configuration of the wire format, shared by the API and the CLI. */
public final class Json {
  private Json() {}

  /**
   * A mapper that writes ISO dates and durations ("PT5M" for an autoscale window, which it also reads)
   * and ignores unknown fields (missing numbers read as 0 and are refused by validation): for answers,
   * the journal's read side and the CLI. The node reads request bodies with {@link #strictMapper()}.
   */
  public static ObjectMapper mapper() {
    return withDefaults(Json::base);
  }

  /**
   * The same wire format read strictly, for request bodies ({@link StrictJson}): unknown fields, a
   * value of another type (no "4" for 4, 1.5 for 1, 1 for true), null for a number or flag, a key given
   * twice, data after the document and documents nested deeper than {@value StrictJson#MAX_DEPTH} levels are
   * all refused.
   */
  public static ObjectMapper strictMapper() {
    return withDefaults(Json::strict);
  }

  private static ObjectMapper withDefaults(Supplier<JsonMapper.Builder> builder) {
    ObjectMapper plain = builder.get().build();
    SimpleModule defaults = new SimpleModule("avm-defaults");
    defaults.addDeserializer(VmSpec.class, new VmSpecDefaults(plain));
    return builder.get().addModule(defaults).build();
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

  /**
   * Reads a primitive number or flag with its type's usual reader, refusing an explicit null; a field left
   * out still reads as 0 or false (Jackson's FAIL_ON_NULL_FOR_PRIMITIVES alone also refuses a missing field
   * of a record, and every optional number of a spec is one).
   */
  private static final class NoNullPrimitive<T> extends StdScalarDeserializer<T> {
    private final JsonDeserializer<?> plain;
    private final T absent;

    NoNullPrimitive(Class<T> type, T absent) {
      super(type);
      this.plain = NumberDeserializers.find(type, type.getName());
      this.absent = absent;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return (T) plain.deserialize(p, ctxt);
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
      throw InvalidNullException.from(ctxt, null, ctxt.constructType(handledType()));
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return absent;
    }

    @Override
    public AccessPattern getNullAccessPattern() {
      return AccessPattern.DYNAMIC;
    }
  }

  private static JsonMapper.Builder strict() {
    JsonFactory factory = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(StrictJson.MAX_DEPTH)
            .maxNumberLength(StrictJson.MAX_NUMBER_LENGTH).build())
        .build();
    JsonMapper.Builder b = JsonMapper.builder(factory)
        .findAndAddModules()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .addModule(new SimpleModule("avm-strict")
            .addDeserializer(int.class, new NoNullPrimitive<>(int.class, 0))
            .addDeserializer(long.class, new NoNullPrimitive<>(long.class, 0L))
            .addDeserializer(double.class, new NoNullPrimitive<>(double.class, 0.0))
            .addDeserializer(boolean.class, new NoNullPrimitive<>(boolean.class, false)));
    // a value must already have its field's type; only a whole number where a fraction is expected is read as is
    b.withCoercionConfig(LogicalType.Integer, c -> fail(c, CoercionInputShape.String, CoercionInputShape.Float,
        CoercionInputShape.Boolean, CoercionInputShape.EmptyString));
    b.withCoercionConfig(LogicalType.Float, c -> fail(c, CoercionInputShape.String, CoercionInputShape.Boolean,
        CoercionInputShape.EmptyString));
    b.withCoercionConfig(LogicalType.Boolean, c -> fail(c, CoercionInputShape.String, CoercionInputShape.Integer,
        CoercionInputShape.Float, CoercionInputShape.EmptyString));
    b.withCoercionConfig(LogicalType.Textual, c -> fail(c, CoercionInputShape.Integer, CoercionInputShape.Float,
        CoercionInputShape.Boolean));
    b.withCoercionConfig(LogicalType.Enum, c -> fail(c, CoercionInputShape.Integer, CoercionInputShape.Float,
        CoercionInputShape.Boolean, CoercionInputShape.EmptyString));
    for (LogicalType t : List.of(LogicalType.POJO, LogicalType.Collection, LogicalType.Map, LogicalType.DateTime)) {
      b.withCoercionConfig(t, c -> fail(c, CoercionInputShape.EmptyString, CoercionInputShape.Integer,
          CoercionInputShape.Float, CoercionInputShape.Boolean));
    }
    return b;
  }

  private static void fail(MutableCoercionConfig config, CoercionInputShape... shapes) {
    for (CoercionInputShape s : shapes) config.setCoercion(s, CoercionAction.Fail);
  }
}
