package io.actorvmm.api.model;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.actorvmm.domain.Limits;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a request body strictly ({@link Json#strictMapper()}) and says what is wrong with it in one
 * line naming the field's JSON path and the rule ("field apps[0].replicas: expected an integer"),
 * never the reader's own message, which names Java classes.
 */
public final class StrictJson {
  /** How deeply a request may nest objects and lists. */
  public static final int MAX_DEPTH = 32;
  /** The most digits a number may have. */
  public static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectMapper STRICT = Json.strictMapper();

  private StrictJson() {}

  /** Thrown when a body cannot be read as the request it should be; the message is the one line for the user. */
  public static final class BadBody extends IllegalArgumentException {
    BadBody(String message) {
      super(message);
    }
  }

  /** {@code body} read as {@code type}; throws {@link BadBody} with a one-line message when it is not one. */
  public static <T> T read(String body, Class<T> type) {
    if (body == null || body.isBlank()) throw new BadBody("request body is missing");
    T value;
    try (JsonParser p = STRICT.createParser(body)) {
      try {
        // the reader stops after the document, so that data after it is told apart from a document that is malformed
        value = STRICT.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(p);
      } catch (JsonProcessingException e) {
        throw new BadBody(describe(e));
      }
      if (value == null) throw new BadBody("body: expected an object, not null");
      try {
        if (p.nextToken() != null) throw new BadBody("body: unexpected data after the JSON document");
      } catch (JsonProcessingException e) {
        throw new BadBody("body: unexpected data after the JSON document");
      }
    } catch (IOException e) {
      // reading a string in memory fails only as above; kept as a refusal rather than a server error
      throw new BadBody("body: cannot be read");
    }
    return value;
  }

  /** The one-line problem behind {@code e}: where it is and what the rule is. */
  static String describe(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) return "body: " + constraint(e.getOriginalMessage());
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<Object> known = u.getKnownPropertyIds();
      return at(path(u)) + "unknown field" + (known == null || known.isEmpty() ? ""
          : "; known fields: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
    }
    if (e instanceof ValueInstantiationException v) {
      return at(path(v)) + (v.getCause() instanceof NullPointerException ? "null is not allowed there" : "invalid value");
    }
    if (e instanceof InvalidNullException n) return at(path(n)) + "null is not allowed there";
    if (e instanceof InvalidFormatException f) return at(path(f)) + "expected " + words(f.getTargetType());
    if (e instanceof MismatchedInputException m) {
      String where = at(path(m));
      if (m.getTargetType() == null) return where + "invalid value";
      String original = m.getOriginalMessage();
      if (original != null && original.contains("`null`")) return where + "null is not allowed there";
      return where + "expected " + words(m.getTargetType());
    }
    if (e instanceof JsonMappingException m) {
      return at(path(m)) + (m.getCause() instanceof InputCoercionException c
          ? "number out of range for " + words(c.getTargetType()) : "invalid value");
    }
    if (e instanceof InputCoercionException c) {
      return at(path(c.getProcessor())) + "number out of range for " + words(c.getTargetType());
    }
    if (e instanceof JsonEOFException) return "body: malformed JSON: the document ends too early";
    if (e instanceof JsonParseException p) {
      String original = p.getOriginalMessage();
      if (original != null && original.startsWith("Duplicate field")) return at(path(p.getProcessor())) + "given twice";
      if (original != null && original.contains("end-of-input")) return "body: malformed JSON: the document ends too early";
      var where = p.getLocation();
      return where == null ? "body: malformed JSON"
          : "body: malformed JSON at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }
    return "body: malformed JSON";
  }

  private static String at(String path) {
    return path.isEmpty() ? "body: " : "field " + path + ": ";
  }

  /** The JSON path of a mapping problem: apps[0].vm.cpuCores. */
  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) b.append(b.length() == 0 ? "" : ".").append(Limits.clip(ref.getFieldName()));
      else if (ref.getIndex() >= 0) b.append('[').append(ref.getIndex()).append(']');
    }
    return b.toString();
  }

  /** The JSON path where a parser stands. */
  private static String path(Object processor) {
    if (!(processor instanceof JsonParser p)) return "";
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
      else if (c.getCurrentName() != null) parts.add(Limits.clip(c.getCurrentName()));
    }
    Collections.reverse(parts);
    StringBuilder b = new StringBuilder();
    for (String part : parts) b.append(b.length() == 0 || part.startsWith("[") ? "" : ".").append(part);
    return b.toString();
  }

  /** A value of {@code type} in a user's words. */
  static String words(Class<?> type) {
    if (type == null) return "another value";
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
    }
    if (type == int.class || type == long.class || type == short.class || type == byte.class || type == Integer.class
        || type == Long.class || type == Short.class || type == Byte.class || type == java.math.BigInteger.class) {
      return "an integer";
    }
    if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) return "a number";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) return "a string";
    if (type == Duration.class) return "an ISO-8601 duration such as PT5M";
    if (type == Instant.class) return "an ISO-8601 instant such as 2026-11-21T10:42:00Z";
    if (type.isArray() || Collection.class.isAssignableFrom(type)) return "a list";
    // a record or a map
    return "an object";
  }

  /** A broken read limit in words. */
  private static String constraint(String message) {
    String m = message == null ? "" : message.toLowerCase();
    if (m.contains("depth")) return "nested deeper than " + MAX_DEPTH + " levels";
    if (m.contains("number")) return "a number longer than " + MAX_NUMBER_LENGTH + " digits";
    if (m.contains("string")) return "a string too long to read";
    return "too large to read";
  }
}
