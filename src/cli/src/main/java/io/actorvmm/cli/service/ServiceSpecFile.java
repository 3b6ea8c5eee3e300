package io.actorvmm.cli.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.NodeClient;
import io.actorvmm.domain.service.ServiceSpec;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a service spec file; every problem is bad usage with one line naming the file. */
final class ServiceSpecFile {
  /**
   * Stricter than the wire mapper: an unknown field in a hand-written file is a typo
   * ("replica" for "replicas") that would otherwise vanish silently.
   */
  private static final ObjectMapper STRICT = NodeClient.MAPPER.copy()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ServiceSpecFile() {}

  /** The spec in {@code file}. */
  static ServiceSpec read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CliException.usage("cannot read " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw CliException.usage("cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
          : Format.firstLine(e.getMessage()).replace(file + ": ", "").toLowerCase()));
    }
    if (bytes.length == 0) throw CliException.usage(file + " is empty");
    // syntax first, then shape: a file that is not JSON at all deserves a different message
    // from one that is JSON but not a service spec
    JsonNode tree;
    try {
      tree = STRICT.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw CliException.usage(file + " is not valid JSON: " + Format.firstLine(e.getOriginalMessage())
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")"));
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) throw CliException.usage(file + " is empty");
    if (!tree.isObject()) throw CliException.usage(file + " is not a service spec: expected a JSON object");
    ServiceSpec spec;
    try {
      spec = STRICT.treeToValue(tree, ServiceSpec.class);
    } catch (UnrecognizedPropertyException e) {
      throw CliException.usage(file + " is not a service spec: unknown field '" + where(e) + "'");
    } catch (JsonProcessingException e) {
      String path = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? where(m) + ": " : "";
      throw CliException.usage(file + " is not a service spec: " + path + Format.firstLine(e.getOriginalMessage()));
    }
    if (spec == null) throw CliException.usage(file + " is not a service spec: it holds null");
    return spec;
  }

  /** The JSON path of a mapping problem: apps[0].replica. */
  private static String where(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      else if (r.getIndex() >= 0) b.append('[').append(r.getIndex()).append(']');
    }
    return b.toString();
  }
}
