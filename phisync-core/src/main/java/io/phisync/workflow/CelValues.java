package io.phisync.workflow;

import dev.cel.common.values.CelByteString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** JSON values to CEL values and back. */
final class CelValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CelValues() {}

  /**
   * An object as a map, an array as a list, an integer as a Long (a Double beyond Long's range), a
   * number as a Double, a string, a boolean, null as CEL's null.
   */
  static Object toCel(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          map.put(field.getKey(), toCel(field.getValue()));
        }
        return map;
      case ARRAY:
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(toCel(element));
        }
        return list;
      case NUMBER:
        if (node.isIntegralNumber() && node.canConvertToLong()) {
          return node.longValue();
        }
        return node.doubleValue();
      case STRING:
        return node.stringValue();
      case BOOLEAN:
        return node.booleanValue();
      case BINARY:
        return Base64.getEncoder().encodeToString(node.binaryValue());
      default:
        return dev.cel.common.values.NullValue.NULL_VALUE;
    }
  }

  /**
   * Like {@link #toCel}, but objects and arrays become read-only views that convert a value only
   * when CEL reads it: an expression that looks at one step of a context holding thousands costs
   * what it reads, not the whole context. The node must not change while the view is in use.
   */
  static Object toCelLazily(JsonNode node) {
    if (node.isObject()) {
      return new LazyMap(node);
    }
    if (node.isArray()) {
      return new LazyList(node);
    }
    return toCel(node);
  }

  /** A JSON object as a read-only map of CEL values, converted on access. */
  private static final class LazyMap extends java.util.AbstractMap<String, Object> {
    private final JsonNode node;

    LazyMap(JsonNode node) {
      this.node = node;
    }

    @Override
    public @org.jspecify.annotations.Nullable Object get(
        @org.jspecify.annotations.Nullable Object key) {
      JsonNode value = key instanceof String k ? node.get(k) : null;
      return value == null ? null : toCelLazily(value);
    }

    @Override
    public boolean containsKey(@org.jspecify.annotations.Nullable Object key) {
      return key instanceof String k && node.has(k);
    }

    @Override
    public int size() {
      return node.size();
    }

    @Override
    public java.util.Set<Map.Entry<String, Object>> entrySet() {
      return new java.util.AbstractSet<>() {
        @Override
        public java.util.Iterator<Map.Entry<String, Object>> iterator() {
          java.util.Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
          return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
              return fields.hasNext();
            }

            @Override
            public Map.Entry<String, Object> next() {
              Map.Entry<String, JsonNode> field = fields.next();
              return new java.util.AbstractMap.SimpleImmutableEntry<>(
                  field.getKey(), toCelLazily(field.getValue()));
            }
          };
        }

        @Override
        public int size() {
          return node.size();
        }
      };
    }
  }

  /** A JSON array as a read-only list of CEL values, converted on access. */
  private static final class LazyList extends java.util.AbstractList<Object>
      implements java.util.RandomAccess {
    private final JsonNode node;

    LazyList(JsonNode node) {
      this.node = node;
    }

    @Override
    public Object get(int index) {
      if (index < 0 || index >= node.size()) {
        throw new IndexOutOfBoundsException(index);
      }
      return toCelLazily(node.get(index));
    }

    @Override
    public int size() {
      return node.size();
    }
  }

  /**
   * A CEL value as JSON: maps (keys as strings), lists, numbers, strings, booleans and null; bytes
   * as base64, timestamps and durations as ISO-8601 strings.
   *
   * @throws IllegalArgumentException for a value JSON cannot hold (NaN, infinities, types)
   */
  static JsonNode toJson(Object value) {
    if (value instanceof Map<?, ?> map) {
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.set(String.valueOf(entry.getKey()), toJson(entry.getValue()));
      }
      return out;
    }
    if (value instanceof List<?> list) {
      ArrayNode out = NODES.arrayNode();
      for (Object element : list) {
        out.add(toJson(element));
      }
      return out;
    }
    if (value instanceof String s) {
      return NODES.stringNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Long l) {
      return l == l.intValue() ? NODES.numberNode(l.intValue()) : NODES.numberNode(l);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i.intValue());
    }
    if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException(d + ", which JSON cannot hold");
      }
      return NODES.numberNode(d);
    }
    if (value instanceof com.google.common.primitives.UnsignedLong u) {
      return NODES.numberNode(u.bigIntegerValue());
    }
    if (value instanceof BigInteger big) {
      return NODES.numberNode(big);
    }
    if (value instanceof BigDecimal decimal) {
      return NODES.numberNode(decimal);
    }
    if (value instanceof dev.cel.common.values.NullValue
        || value instanceof com.google.protobuf.NullValue) {
      return NODES.nullNode();
    }
    if (value instanceof CelByteString bytes) {
      return NODES.stringNode(Base64.getEncoder().encodeToString(bytes.toByteArray()));
    }
    if (value instanceof com.google.protobuf.ByteString bytes) {
      return NODES.stringNode(Base64.getEncoder().encodeToString(bytes.toByteArray()));
    }
    if (value instanceof com.google.protobuf.Timestamp ts) {
      return NODES.stringNode(Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()).toString());
    }
    if (value instanceof com.google.protobuf.Duration d) {
      return NODES.stringNode(
          java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()).toString());
    }
    if (value instanceof Instant || value instanceof java.time.Duration) {
      return NODES.stringNode(value.toString());
    }
    throw new IllegalArgumentException(
        "a value JSON cannot hold (" + value.getClass().getSimpleName() + ")");
  }

  /** "a string", "an object", ... with the value, for messages. */
  static String describe(JsonNode value) {
    String text = value.toString();
    if (text.length() > 80) {
      text = text.substring(0, 77) + "...";
    }
    return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
  }
}
