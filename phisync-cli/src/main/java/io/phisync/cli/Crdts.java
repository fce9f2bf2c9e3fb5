package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.clock.ClockOffsetException;
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
import io.phisync.crdt.json.CrdtJson;
import io.phisync.crdt.store.CrdtStore;
import io.phisync.crdt.store.CrdtTypeMismatchException;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The work of {@code phisync crdt ...}: update one replica, or read the merged value. */
final class Crdts {
  /** {@code get}: nobody wrote the key (exit 3, as recv's "nothing there"). */
  static final int NOT_FOUND = ExitCodes.NOTHING_RECEIVED;

  private final Session session;

  Crdts(Session session) {
    this.session = session;
  }

  int increment(AgentName agent, String key, long by, @Nullable String type) {
    positive(by);
    return run(
        crdts -> {
          CrdtType<?> chosen =
              type != null
                  ? parse(type, Set.of(CrdtType.G_COUNTER, CrdtType.PN_COUNTER))
                  : crdts.typeOf(key).orElse(CrdtType.PN_COUNTER);
          if (chosen.equals(CrdtType.G_COUNTER)) {
            return crdts.update(
                agent, key, CrdtType.G_COUNTER, (c, ctx) -> c.increment(ctx.node(), by));
          }
          return crdts.update(
              agent, key, CrdtType.PN_COUNTER, (c, ctx) -> c.increment(ctx.node(), by));
        });
  }

  int decrement(AgentName agent, String key, long by) {
    positive(by);
    return run(
        crdts ->
            crdts.update(agent, key, CrdtType.PN_COUNTER, (c, ctx) -> c.decrement(ctx.node(), by)));
  }

  int add(AgentName agent, String key, List<String> values) {
    return run(
        crdts ->
            crdts.update(
                agent,
                key,
                CrdtType.OR_SET,
                (s, ctx) -> {
                  for (String v : values) {
                    s = s.add(ctx.node(), v);
                  }
                  return s;
                }));
  }

  int remove(AgentName agent, String key, List<String> values) {
    return run(
        crdts -> {
          if (crdts.typeOf(key).filter(CrdtType.LWW_MAP::equals).isPresent()) {
            return crdts.update(
                agent,
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
              agent,
              key,
              CrdtType.OR_SET,
              (s, ctx) -> {
                for (String v : values) {
                  s = s.remove(v);
                }
                return s;
              });
        });
  }

  int set(
      AgentName agent, String key, String value, @Nullable String type, @Nullable String field) {
    return run(
        crdts -> {
          CrdtType<?> chosen =
              type != null
                  ? parse(
                      type,
                      Set.of(
                          CrdtType.LWW_REGISTER,
                          CrdtType.MV_REGISTER,
                          CrdtType.FLAG,
                          CrdtType.LWW_MAP))
                  : crdts
                      .typeOf(key)
                      .orElse(field != null ? CrdtType.LWW_MAP : CrdtType.LWW_REGISTER);
          if (chosen.equals(CrdtType.LWW_MAP) != (field != null)) {
            throw CliException.usage(
                field == null
                    ? "key '" + key + "' is an lww-map: say which entry with --field NAME"
                    : "--field names an entry of an lww-map; key '" + key + "' is a " + chosen);
          }
          if (chosen.equals(CrdtType.LWW_MAP)) {
            String name = java.util.Objects.requireNonNull(field);
            return crdts.update(
                agent, key, CrdtType.LWW_MAP, (m, ctx) -> m.put(name, value, ctx.stamp()));
          }
          if (chosen.equals(CrdtType.FLAG)) {
            boolean on = flag(value);
            return crdts.update(
                agent, key, CrdtType.FLAG, (f, ctx) -> on ? f.enable(ctx.node()) : f.disable());
          }
          if (chosen.equals(CrdtType.MV_REGISTER)) {
            return crdts.update(
                agent, key, CrdtType.MV_REGISTER, (r, ctx) -> r.assign(ctx.node(), value));
          }
          return crdts.update(
              agent, key, CrdtType.LWW_REGISTER, (r, ctx) -> r.assign(value, ctx.stamp()));
        });
  }

  int get(String key, boolean json) {
    try (PhiSync phi = session.open()) {
      Optional<Crdt<?, ?>> state = phi.crdts().get(key);
      if (state.isEmpty()) {
        session.err().println("phisync: no CRDT key '" + key + "' (nobody wrote it)");
        return NOT_FOUND;
      }
      if (json) {
        ObjectNode out = Json.object().put("key", key).put("type", state.get().type().toString());
        out.set("value", valueJson(state.get()));
        out.set("state", CrdtJson.encode(state.get()));
        session.out().println(Json.pretty(out));
      } else {
        print(state.get());
      }
    }
    return ExitCodes.OK;
  }

  int list(boolean json) {
    try (PhiSync phi = session.open()) {
      CrdtStore crdts = phi.crdts();
      ArrayNode array = Json.mapper().createArrayNode();
      Table table = new Table("KEY", "TYPE", "REPLICAS");
      for (String key : crdts.keys()) {
        String type = crdts.typeOf(key).map(Object::toString).orElse("?");
        int replicas = crdts.replicas(key).size();
        array.addObject().put("key", key).put("type", type).put("replicas", replicas);
        table.row(key, type, String.valueOf(replicas));
      }
      if (json) {
        session.out().println(Json.pretty(array));
      } else if (table.isEmpty()) {
        session.err().println("no CRDT keys under " + phi.root());
      } else {
        table.print(session.out());
      }
    }
    return ExitCodes.OK;
  }

  /** Runs one update and prints the merged value it produced. */
  private int run(Function<CrdtStore, Crdt<?, ?>> update) {
    try (PhiSync phi = session.open()) {
      print(update.apply(phi.crdts()));
    } catch (CrdtTypeMismatchException | ClockOffsetException e) {
      throw new CliException(ExitCodes.CONFLICT, String.valueOf(e.getMessage()));
    }
    return ExitCodes.OK;
  }

  private void print(Crdt<?, ?> state) {
    JsonNode value = valueJson(state);
    if (value.isArray()) {
      value.forEach(v -> session.out().println(v.asString()));
    } else if (value.isObject()) {
      value.properties().forEach(e -> session.out().println(e.getKey() + "=" + text(e.getValue())));
    } else {
      session.out().println(text(value));
    }
  }

  private static String text(JsonNode value) {
    return value.isString() ? value.asString() : value.isNull() ? "" : Json.compact(value);
  }

  /** The value as JSON: a number, string or null, boolean, array or object. */
  static JsonNode valueJson(Crdt<?, ?> state) {
    if (state instanceof GCounter || state instanceof PNCounter || state instanceof Flag) {
      return Json.mapper().valueToTree(state.value());
    }
    if (state instanceof LWWRegister r) {
      return Json.mapper().valueToTree(r.content());
    }
    if (state instanceof MVRegister || state instanceof ORSet || state instanceof LWWMap) {
      return Json.mapper().valueToTree(state.value());
    }
    ObjectNode out = Json.object();
    ((ORMap<?>) state).value().forEach((k, v) -> out.set(k, valueJson(v)));
    return out;
  }

  private static CrdtType<?> parse(String type, Set<CrdtType<?>> allowed) {
    CrdtType<?> parsed = CrdtType.parse(type.toLowerCase(Locale.ROOT));
    if (!allowed.contains(parsed)) {
      throw CliException.usage(
          "--type " + type + " does not fit this command; it takes one of " + names(allowed));
    }
    return parsed;
  }

  private static String names(Set<CrdtType<?>> types) {
    return String.join(", ", types.stream().map(Object::toString).sorted().toList());
  }

  private static boolean flag(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "on", "true", "enable", "1":
        return true;
      case "off", "false", "disable", "0":
        return false;
      default:
        throw CliException.usage("a flag is set 'on' or 'off', not '" + value + "'");
    }
  }

  private static void positive(long by) {
    if (by <= 0) {
      throw CliException.usage("--by is a positive amount, not " + by);
    }
  }
}
