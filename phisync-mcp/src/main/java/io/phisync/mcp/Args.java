package io.phisync.mcp;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.InvalidNameException;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.protocol.MessageId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One call's arguments, read with errors that name the argument and say what to pass. */
final class Args {
  private final Map<String, Object> values;

  Args(@Nullable Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  String string(String name) {
    String value = optionalString(name);
    if (value == null || value.isBlank()) {
      throw new ToolError("'" + name + "' is required: pass it as a non-empty string.");
    }
    return value;
  }

  @Nullable String optionalString(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String)) {
      throw new ToolError("'" + name + "' must be a string, got " + Json.compact(value) + ".");
    }
    return (String) value;
  }

  AgentName agent(String name) {
    String value = string(name);
    try {
      return AgentName.of(value);
    } catch (InvalidNameException e) {
      throw new ToolError(
          "'" + name + "': " + e.getMessage() + ". Call phisync_status to see the agents.");
    }
  }

  MessageId messageId(String name) {
    String value = string(name);
    try {
      return MessageId.of(value);
    } catch (InvalidNameException e) {
      throw new ToolError(
          "'"
              + name
              + "': "
              + e.getMessage()
              + ". Pass a message id exactly as a tool returned it.");
    }
  }

  /** Whole seconds in {@code [min, max]}, {@code defaultValue} when absent. */
  Duration seconds(String name, long min, long max, long defaultValue) {
    Object value = values.get(name);
    if (value == null) {
      return Duration.ofSeconds(defaultValue);
    }
    if (!(value instanceof Number) || ((Number) value).doubleValue() % 1 != 0) {
      throw new ToolError("'" + name + "' must be a whole number of seconds.");
    }
    long seconds = ((Number) value).longValue();
    if (seconds < min || seconds > max) {
      throw new ToolError(
          "'"
              + name
              + "' must be between "
              + min
              + " and "
              + max
              + " seconds, got "
              + seconds
              + ".");
    }
    return Duration.ofSeconds(seconds);
  }

  /** A whole number in {@code [min, max]}, or null when absent. */
  @Nullable Long integer(String name, long min, long max) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number) || ((Number) value).doubleValue() % 1 != 0) {
      throw new ToolError("'" + name + "' must be a whole number.");
    }
    long n = ((Number) value).longValue();
    if (n < min || n > max) {
      throw new ToolError(
          "'" + name + "' must be between " + min + " and " + max + ", got " + n + ".");
    }
    return n;
  }

  boolean flag(String name, boolean defaultValue) {
    Object value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean)) {
      throw new ToolError("'" + name + "' must be true or false.");
    }
    return (Boolean) value;
  }

  /** A list of strings, empty when absent. */
  List<String> strings(String name) {
    Object value = values.get(name);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String) {
      return List.of((String) value);
    }
    if (!(value instanceof List)) {
      throw new ToolError(
          "'"
              + name
              + "' must be a list of strings such as [\"a\", \"b\"], got "
              + Json.compact(value)
              + ".");
    }
    List<String> out = new ArrayList<>();
    for (Object item : (List<?>) value) {
      if (!(item instanceof String)) {
        throw new ToolError(
            "'" + name + "' must be a list of strings, got the item " + Json.compact(item) + ".");
      }
      out.add((String) item);
    }
    return out;
  }

  /** A required JSON value of any kind, as passed (a string stays a string). */
  JsonNode requiredValue(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw new ToolError(
          "'"
              + name
              + "' is required: pass a JSON value (object, array, string, number, boolean).");
    }
    try {
      return Json.mapper().valueToTree(value);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new ToolError("'" + name + "' is not a JSON value: " + e.getMessage());
    }
  }

  /** Whether the argument was passed at all. */
  boolean has(String name) {
    return values.get(name) != null;
  }

  /** A JSON value of any kind as passed, or null when absent. */
  @Nullable JsonNode optionalValue(String name) {
    return has(name) ? requiredValue(name) : null;
  }

  /** A required JSON object. */
  ObjectNode requiredObject(String name) {
    ObjectNode value = object(name);
    if (value == null) {
      throw new ToolError("'" + name + "' is required: pass a JSON object.");
    }
    return value;
  }

  /**
   * A JSON object, or null when absent. A string holding a JSON object is accepted too, as models
   * sometimes pass one.
   */
  @Nullable ObjectNode object(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    JsonNode node;
    try {
      node =
          value instanceof String ? Json.parse((String) value) : Json.mapper().valueToTree(value);
    } catch (MalformedMessageException | JacksonException | IllegalArgumentException e) {
      throw new ToolError("'" + name + "' must be a JSON object: " + e.getMessage());
    }
    if (!node.isObject()) {
      throw new ToolError(
          "'"
              + name
              + "' must be a JSON object such as {\"topic\": \"OAuth2\"}, got "
              + node
              + ".");
    }
    return (ObjectNode) node;
  }
}
