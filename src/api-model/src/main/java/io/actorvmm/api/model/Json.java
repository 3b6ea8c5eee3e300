package io.actorvmm.api.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
    return JsonMapper.builder()
        .findAndAddModules()
        // named as well, so a class path without the modules' service files still reads java.time values
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }
}
