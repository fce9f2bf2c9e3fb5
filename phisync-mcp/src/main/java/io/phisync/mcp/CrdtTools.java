package io.phisync.mcp;

import io.phisync.clock.ClockOffsetException;
import io.phisync.crdt.Crdt;
import io.phisync.crdt.CrdtType;
import io.phisync.crdt.Flag;
import io.phisync.crdt.GCounter;
import io.phisync.crdt.LWWRegister;
import io.phisync.crdt.ORMap;
import io.phisync.crdt.PNCounter;
import io.phisync.crdt.store.CrdtStore;
import io.phisync.crdt.store.CrdtTypeMismatchException;
import io.phisync.protocol.Json;
import io.phisync.spi.ReplicaKey;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replicated data without locks: counters, sets, registers and maps that every agent updates in its
 * own replica and every reader merges.
 */
final class CrdtTools implements ToolGroup {
  private static final long MAX_BY = 1_000_000_000L;
  private static final String KEY =
      "The key: up to 64 lowercase letters, digits, '.', '_' or '-', a letter or digit first,"
          + " e.g. \"stats.builds\".";
  private static final List<String> OPS = List.of("increment", "decrement", "add", "remove", "set");

  private final ToolContext context;

  CrdtTools(ToolContext context) {
    this.context = context;
  }

  @Override
  public List<Tool> tools() {
    return List.of(get(), update());
  }

  private Tool get() {
    return new Tool(
        "phisync_crdt_get",
        "Read the merged value of a replicated (CRDT) key, as every agent's replica adds up. Returns"
            + " {key, exists, type, value}: a number for counters, a list for sets, a text (or"
            + " null) for registers, an object for maps; exists is false when nobody wrote it.",
        InputSchema.object().requiredString("key", KEY),
        /* readOnly= */ true,
        args -> {
          String key = key(args);
          Optional<Crdt<?, ?>> state = crdts().get(key);
          ObjectNode out = Results.object().put("key", key).put("exists", state.isPresent());
          if (state.isEmpty()) {
            return out.putNull("type").putNull("value");
          }
          out.put("type", state.get().type().toString());
          out.set("value", value(state.get()));
          return out;
        });
  }

  private Tool update() {
    return new Tool(
        "phisync_crdt_update",
        "Change a replicated (CRDT) key in your own replica; concurrent changes by other agents"
            + " all count, with no lock and no conflict. op: increment/decrement a counter (by,"
            + " default 1), add/remove texts of a set (values), set a register (value) or, with"
            + " field, one entry of a map; remove with values on a map removes those entries. The"
            + " first write fixes the key's type. Returns {key, type, value} (the merged value).",
        InputSchema.object()
            .requiredString("key", KEY)
            .oneOf("op", "What to do.", OPS)
            .integer("by", "increment/decrement: the amount (default 1).", 1, MAX_BY)
            .strings("values", "add/remove: the texts to add to or remove from the set.")
            .string("value", "set: the register's (or map entry's) new text.")
            .string("field", "set: the map entry to set (the key becomes or is a map)."),
        /* readOnly= */ false,
        args -> {
          String key = key(args);
          String op = args.string("op");
          Crdt<?, ?> after;
          try {
            after = apply(key, op, args);
          } catch (CrdtTypeMismatchException e) {
            throw new ToolError(
                e.getMessage()
                    + ". Call phisync_crdt_get to see its type and use an op that fits it, or use"
                    + " another key.");
          } catch (ClockOffsetException e) {
            throw new ToolError(
                e.getMessage() + ". Nothing was written; the hosts' clocks need fixing first.");
          }
          ObjectNode out = Results.object().put("key", key).put("type", after.type().toString());
          out.set("value", value(after));
          return out;
        });
  }

  private Crdt<?, ?> apply(String key, String op, Args args) {
    CrdtStore crdts = crdts();
    Optional<CrdtType<?>> type = crdts.typeOf(key);
    switch (op) {
      case "increment":
        {
          long by = by(args);
          if (type.filter(CrdtType.G_COUNTER::equals).isPresent()) {
            return crdts.update(
                context.self(), key, CrdtType.G_COUNTER, (c, ctx) -> c.increment(ctx.node(), by));
          }
          return crdts.update(
              context.self(), key, CrdtType.PN_COUNTER, (c, ctx) -> c.increment(ctx.node(), by));
        }
      case "decrement":
        {
          long by = by(args);
          return crdts.update(
              context.self(), key, CrdtType.PN_COUNTER, (c, ctx) -> c.decrement(ctx.node(), by));
        }
      case "add":
        {
          List<String> values = values(args);
          return crdts.update(
              context.self(),
              key,
              CrdtType.OR_SET,
              (s, ctx) -> {
                for (String v : values) {
                  s = s.add(ctx.node(), v);
                }
                return s;
              });
        }
      case "remove":
        {
          List<String> values = values(args);
          if (type.filter(CrdtType.LWW_MAP::equals).isPresent()) {
            return crdts.update(
                context.self(),
                key,
                CrdtType.LWW_MAP,
                (m, ctx) -> {
                  for (String v : values) {
                    m = m.remove(v, ctx.stamp());
                  }
                  return m;
                });
          }
          return crdts.update(
              context.self(),
              key,
              CrdtType.OR_SET,
              (s, ctx) -> {
                for (String v : values) {
                  s = s.remove(v);
                }
                return s;
              });
        }
      case "set":
        {
          String value = args.string("value");
          String field = args.optionalString("field");
          if (field != null) {
            return crdts.update(
                context.self(),
                key,
                CrdtType.LWW_MAP,
                (m, ctx) -> m.put(field, value, ctx.stamp()));
          }
          if (type.filter(CrdtType.LWW_MAP::equals).isPresent()) {
            throw new ToolError("'" + key + "' is an lww-map: say which entry with 'field'.");
          }
          return crdts.update(
              context.self(), key, CrdtType.LWW_REGISTER, (r, ctx) -> r.assign(value, ctx.stamp()));
        }
      default:
        throw new ToolError("unknown op '" + op + "': use one of " + String.join(", ", OPS) + ".");
    }
  }

  /** The value as JSON: a number, boolean, text or null, list, or object. */
  private static JsonNode value(Crdt<?, ?> state) {
    if (state instanceof GCounter || state instanceof PNCounter || state instanceof Flag) {
      return Json.mapper().valueToTree(state.value());
    }
    if (state instanceof LWWRegister r) {
      return Json.mapper().valueToTree(r.content());
    }
    if (state instanceof ORMap<?> map) {
      ObjectNode out = Json.object();
      map.value().forEach((k, v) -> out.set(k, value(v)));
      return out;
    }
    return Json.mapper().valueToTree(state.value());
  }

  private static long by(Args args) {
    Long by = args.integer("by", 1, MAX_BY);
    return by == null ? 1 : by;
  }

  private static List<String> values(Args args) {
    List<String> values = args.strings("values");
    if (values.isEmpty()) {
      throw new ToolError("'values' is required for this op: pass a list of texts, e.g. [\"a\"].");
    }
    return values;
  }

  private static String key(Args args) {
    String key = args.string("key");
    try {
      return ReplicaKey.of(key).value();
    } catch (IllegalArgumentException e) {
      throw new ToolError("'key': " + e.getMessage() + ". " + KEY);
    }
  }

  private CrdtStore crdts() {
    return context.phi().crdts();
  }
}
