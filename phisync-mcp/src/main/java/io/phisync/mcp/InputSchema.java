package io.phisync.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's arguments as a JSON Schema object: named properties, each with a description the calling
 * model reads, some required. No other properties are accepted.
 */
final class InputSchema {
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final List<String> required = new ArrayList<>();

  private InputSchema() {}

  /** A schema with no properties yet. */
  static InputSchema object() {
    return new InputSchema();
  }

  InputSchema requiredString(String name, String description) {
    required.add(name);
    return string(name, description);
  }

  InputSchema string(String name, String description) {
    return property(name, Map.of("type", "string", "description", description));
  }

  /** A whole number of seconds in {@code [min, max]}, {@code defaultValue} when absent. */
  InputSchema seconds(String name, String description, long min, long max, long defaultValue) {
    return property(
        name,
        Map.of(
            "type", "integer",
            "minimum", min,
            "maximum", max,
            "default", defaultValue,
            "description", description));
  }

  /** A whole number in {@code [min, max]}, optional. */
  InputSchema integer(String name, String description, long min, long max) {
    return property(
        name,
        Map.of("type", "integer", "minimum", min, "maximum", max, "description", description));
  }

  InputSchema bool(String name, String description) {
    return property(name, Map.of("type", "boolean", "description", description));
  }

  InputSchema requiredObject(String name, String description) {
    required.add(name);
    return object(name, description);
  }

  InputSchema object(String name, String description) {
    return property(name, Map.of("type", "object", "description", description));
  }

  /** A string or a JSON object (e.g. a document as text or as a tree), optional. */
  InputSchema stringOrObject(String name, String description) {
    return property(name, Map.of("type", List.of("string", "object"), "description", description));
  }

  /** A list of strings, optional. */
  InputSchema strings(String name, String description) {
    return property(
        name,
        Map.of("type", "array", "items", Map.of("type", "string"), "description", description));
  }

  /** One of {@code values}, optional. */
  InputSchema oneOf(String name, String description, List<String> values) {
    return property(name, Map.of("type", "string", "enum", values, "description", description));
  }

  /** Any JSON value (object, array, string, number, boolean), required. */
  InputSchema requiredValue(String name, String description) {
    required.add(name);
    return property(name, Map.of("description", description));
  }

  private InputSchema property(String name, Map<String, Object> schema) {
    properties.put(name, schema);
    return this;
  }

  /** The names of the properties, in order. */
  List<String> names() {
    return List.copyOf(properties.keySet());
  }

  /** The schema as the MCP SDK takes it. */
  Map<String, Object> asMap() {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", new LinkedHashMap<>(properties));
    if (!required.isEmpty()) {
      schema.put("required", List.copyOf(required));
    }
    schema.put("additionalProperties", false);
    return schema;
  }
}
