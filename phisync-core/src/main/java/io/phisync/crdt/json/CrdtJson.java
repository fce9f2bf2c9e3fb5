package io.phisync.crdt.json;

import io.phisync.clock.HlcTimestamp;
import io.phisync.clock.VectorClock;
import io.phisync.crdt.Crdt;
import io.phisync.crdt.CrdtType;
import io.phisync.crdt.Flag;
import io.phisync.crdt.GCounter;
import io.phisync.crdt.LWWMap;
import io.phisync.crdt.LWWRegister;
import io.phisync.crdt.MVRegister;
import io.phisync.crdt.ORMap;
import io.phisync.crdt.ORSet;
import io.phisync.crdt.PNCounter;
import io.phisync.protocol.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes CRDT states as JSON objects and reads them back. Every object has a {@code type} (the
 * {@link CrdtType} wire name); maps are written in key order, so equal states encode to identical
 * bytes. The shapes are documented in docs/PROTOCOL.md and docs/schemas/crdt-replica.schema.json.
 */
public final class CrdtJson {
  private static final Comparator<MVRegister.Entry> ENTRY_ORDER =
      Comparator.comparing(MVRegister.Entry::value).thenComparing(e -> e.clock().toString());

  private CrdtJson() {}

  /** The JSON object of a state. */
  public static ObjectNode encode(Crdt<?, ?> crdt) {
    ObjectNode out = Json.object().put("type", crdt.type().name());
    if (crdt instanceof GCounter g) {
      out.set("counts", counts(g.counts()));
    } else if (crdt instanceof PNCounter pn) {
      out.set("increments", counts(pn.increments().counts()));
      out.set("decrements", counts(pn.decrements().counts()));
    } else if (crdt instanceof LWWRegister r) {
      register(out, r);
    } else if (crdt instanceof MVRegister mv) {
      ArrayNode entries = out.putArray("entries");
      mv.entries().stream()
          .sorted(ENTRY_ORDER)
          .forEach(
              e ->
                  entries
                      .addObject()
                      .put("value", e.value())
                      .set("clock", counts(e.clock().entries())));
    } else if (crdt instanceof ORSet set) {
      out.set("clock", counts(set.clock().entries()));
      ObjectNode elements = out.putObject("elements");
      set.elements().forEach((element, dots) -> elements.set(element, counts(dots)));
    } else if (crdt instanceof Flag flag) {
      out.set("clock", counts(flag.clock().entries()));
      out.set("dots", counts(flag.dots()));
    } else if (crdt instanceof LWWMap map) {
      ObjectNode entries = out.putObject("entries");
      map.entries().forEach((key, r) -> register(entries.putObject(key), r));
    } else if (crdt instanceof ORMap<?> map) {
      encodeMap(out, map);
    }
    return out;
  }

  private static <T extends Crdt<T, ?>> void encodeMap(ObjectNode out, ORMap<T> map) {
    out.put("values", map.values().toString());
    out.set("clock", counts(map.clock().entries()));
    ObjectNode entries = out.putObject("entries");
    map.entries()
        .forEach(
            (key, entry) -> {
              ObjectNode e = entries.putObject(key);
              e.set("dots", counts(entry.dots()));
              e.set("value", encode(entry.value()));
            });
  }

  /** Indented JSON text of a state, the same bytes for equal states. */
  public static String text(Crdt<?, ?> crdt) {
    return Json.pretty(encode(crdt));
  }

  /**
   * Reads a state of any type.
   *
   * @throws IllegalArgumentException saying what is wrong with the JSON
   */
  public static Crdt<?, ?> decode(JsonNode node) {
    return decode(node, typeOf(node));
  }

  /**
   * Reads a state of type {@code type}.
   *
   * @throws IllegalArgumentException when the JSON is of another type or malformed
   */
  @SuppressWarnings("unchecked") // Each branch builds the class that its type constant names.
  public static <T extends Crdt<T, ?>> T decode(JsonNode node, CrdtType<T> type) {
    CrdtType<?> actual = typeOf(node);
    if (!actual.equals(type)) {
      throw new IllegalArgumentException("expected a " + type + " state, found a " + actual);
    }
    Object state =
        switch (type.name()) {
          case "g-counter" -> new GCounter(counts(node, "counts"));
          case "pn-counter" ->
              new PNCounter(
                  new GCounter(counts(node, "increments")),
                  new GCounter(counts(node, "decrements")));
          case "lww-register" -> register(node);
          case "mv-register" -> mvRegister(node);
          case "or-set" -> new ORSet(clock(node), dotsByName(node, "elements"));
          case "flag" -> new Flag(clock(node), counts(node, "dots"));
          case "lww-map" -> lwwMap(node);
          default -> orMap(node, java.util.Objects.requireNonNull(type.values()));
        };
    return (T) state;
  }

  /**
   * The type a state's JSON names.
   *
   * @throws IllegalArgumentException when it names none
   */
  public static CrdtType<?> typeOf(JsonNode node) {
    if (!node.isObject() || !node.path("type").isString()) {
      throw new IllegalArgumentException("a CRDT state is a JSON object with a \"type\"");
    }
    JsonNode values = node.get("values");
    return CrdtType.named(
        node.get("type").asString(),
        values != null && values.isString() ? values.asString() : null);
  }

  /** The text form of an HLC timestamp, for JSON. */
  public static String encode(HlcTimestamp stamp) {
    return stamp.toString();
  }

  /** The JSON object of a vector clock: node to counter, in node order. */
  public static ObjectNode encode(VectorClock clock) {
    return counts(clock.entries());
  }

  private static ObjectNode counts(Map<String, Long> counts) {
    ObjectNode out = Json.object();
    counts.forEach(out::put);
    return out;
  }

  private static void register(ObjectNode out, LWWRegister r) {
    out.put("value", r.content());
    HlcTimestamp stamp = r.stamp();
    out.put("stamp", stamp == null ? null : stamp.toString());
  }

  private static LWWRegister register(JsonNode node) {
    return new LWWRegister(optionalString(node, "value"), stamp(node));
  }

  private static @Nullable HlcTimestamp stamp(JsonNode node) {
    String text = optionalString(node, "stamp");
    return text == null ? null : HlcTimestamp.parse(text);
  }

  private static @Nullable String optionalString(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new IllegalArgumentException("\"" + field + "\" is a string or null");
    }
    return value.asString();
  }

  private static MVRegister mvRegister(JsonNode node) {
    Set<MVRegister.Entry> entries = new HashSet<>();
    for (JsonNode e : array(node, "entries")) {
      String value = optionalString(e, "value");
      if (value == null) {
        throw new IllegalArgumentException("an mv-register entry has a string \"value\"");
      }
      entries.add(new MVRegister.Entry(value, new VectorClock(counts(e, "clock"))));
    }
    return new MVRegister(entries);
  }

  private static LWWMap lwwMap(JsonNode node) {
    TreeMap<String, LWWRegister> entries = new TreeMap<>();
    object(node, "entries")
        .properties()
        .forEach(e -> entries.put(e.getKey(), register(e.getValue())));
    return new LWWMap(entries);
  }

  private static <T extends Crdt<T, ?>> ORMap<T> orMap(JsonNode node, CrdtType<T> values) {
    TreeMap<String, ORMap.Entry<T>> entries = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : object(node, "entries").properties()) {
      JsonNode value = e.getValue().path("value");
      entries.put(
          e.getKey(), new ORMap.Entry<>(counts(e.getValue(), "dots"), decode(value, values)));
    }
    return new ORMap<>(values, clock(node), entries);
  }

  private static VectorClock clock(JsonNode node) {
    return new VectorClock(counts(node, "clock"));
  }

  private static SortedMap<String, SortedMap<String, Long>> dotsByName(
      JsonNode node, String field) {
    TreeMap<String, SortedMap<String, Long>> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : object(node, field).properties()) {
      out.put(e.getKey(), counts(node.get(field), e.getKey()));
    }
    return out;
  }

  private static SortedMap<String, Long> counts(JsonNode node, String field) {
    TreeMap<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : object(node, field).properties()) {
      JsonNode n = e.getValue();
      if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
        throw new IllegalArgumentException(
            "\"" + field + "\"." + e.getKey() + " is a non-negative integer, not " + n);
      }
      out.put(e.getKey(), n.asLong());
    }
    return out;
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new IllegalArgumentException("\"" + field + "\" is a JSON object");
    }
    return value;
  }

  private static List<JsonNode> array(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException("\"" + field + "\" is a JSON array");
    }
    List<JsonNode> out = new ArrayList<>();
    value.forEach(out::add);
    return out;
  }
}
