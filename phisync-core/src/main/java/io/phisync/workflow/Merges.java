package io.phisync.workflow;

import io.phisync.protocol.Json;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Fan-in: combines outputs in branch or chunk order, as {@link Merge} says. */
final class Merges {
  private Merges() {}

  /**
   * @param outputs the outputs by branch id (or chunk id), in order
   * @throws IllegalArgumentException when the outputs do not have the shape the merge needs
   */
  static JsonNode merge(Merge merge, Map<String, JsonNode> outputs) {
    switch (merge) {
      case COLLECT:
        {
          ArrayNode out = Json.mapper().createArrayNode();
          outputs.values().forEach(out::add);
          return out;
        }
      case CONCAT:
        {
          ArrayNode out = Json.mapper().createArrayNode();
          outputs.forEach(
              (id, value) -> {
                if (!value.isArray()) {
                  throw new IllegalArgumentException(
                      "concat: the output of " + id + " is not an array");
                }
                value.forEach(out::add);
              });
          return out;
        }
      case SUM:
        return sum(outputs);
      case OBJECT:
        {
          ObjectNode out = Json.object();
          outputs.forEach(out::set);
          return out;
        }
      case MERGE:
      default:
        {
          ObjectNode out = Json.object();
          outputs.forEach(
              (id, value) -> {
                if (!value.isObject()) {
                  throw new IllegalArgumentException(
                      "merge: the output of " + id + " is not an object");
                }
                value.properties().forEach(e -> out.set(e.getKey(), e.getValue()));
              });
          return out;
        }
    }
  }

  private static JsonNode sum(Map<String, JsonNode> outputs) {
    List<JsonNode> values = List.copyOf(outputs.values());
    if (values.isEmpty() || values.get(0).isNumber()) {
      double total = 0;
      boolean integral = true;
      for (Map.Entry<String, JsonNode> e : outputs.entrySet()) {
        if (!e.getValue().isNumber()) {
          throw new IllegalArgumentException(
              "sum: the output of " + e.getKey() + " is not a number");
        }
        integral &= e.getValue().isIntegralNumber();
        total += e.getValue().asDouble();
      }
      return integral
          ? Json.mapper().getNodeFactory().numberNode((long) total)
          : Json.mapper().getNodeFactory().numberNode(total);
    }
    ObjectNode out = Json.object();
    for (Map.Entry<String, JsonNode> e : outputs.entrySet()) {
      if (!e.getValue().isObject()) {
        throw new IllegalArgumentException(
            "sum: the output of " + e.getKey() + " is not an object");
      }
      e.getValue()
          .properties()
          .forEach(
              field -> {
                JsonNode old = out.get(field.getKey());
                JsonNode add = field.getValue();
                if (old == null) {
                  out.set(field.getKey(), add);
                } else if (old.isNumber() && add.isNumber()) {
                  out.set(
                      field.getKey(),
                      old.isIntegralNumber() && add.isIntegralNumber()
                          ? Json.mapper().getNodeFactory().numberNode(old.asLong() + add.asLong())
                          : Json.mapper()
                              .getNodeFactory()
                              .numberNode(old.asDouble() + add.asDouble()));
                }
              });
    }
    return out;
  }
}
