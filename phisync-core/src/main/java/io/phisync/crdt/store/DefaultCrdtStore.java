package io.phisync.crdt.store;

import io.phisync.clock.HlcTimestamp;
import io.phisync.clock.HybridLogicalClock;
import io.phisync.crdt.Crdt;
import io.phisync.crdt.CrdtType;
import io.phisync.crdt.LWWMap;
import io.phisync.crdt.LWWRegister;
import io.phisync.crdt.json.CrdtJson;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.ReplicaKey;
import io.phisync.spi.ReplicaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** The store over a {@link ReplicaStore}. Thread-safe; one lock per key and agent. */
final class DefaultCrdtStore implements CrdtStore {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultCrdtStore.class);

  private final ReplicaStore replicas;
  private final Clock clock;
  private final Duration maxOffset;
  private final ConcurrentHashMap<AgentName, HybridLogicalClock> clocks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  DefaultCrdtStore(ReplicaStore replicas, Clock clock, Duration maxOffset) {
    this.replicas = replicas;
    this.clock = clock;
    this.maxOffset = maxOffset;
  }

  @Override
  public <T extends Crdt<T, ?>> T get(String key, CrdtType<T> type) {
    ReplicaKey k = ReplicaKey.of(key);
    Optional<String> recorded = replicas.type(k);
    if (recorded.isEmpty()) {
      return type.empty();
    }
    check(k, recorded.get(), type);
    return merged(k, type);
  }

  @Override
  public Optional<Crdt<?, ?>> get(String key) {
    return typeOf(key).map(type -> merged(ReplicaKey.of(key), type));
  }

  @Override
  public Optional<CrdtType<?>> typeOf(String key) {
    return replicas.type(ReplicaKey.of(key)).map(CrdtType::parse);
  }

  @Override
  public <T extends Crdt<T, ?>> T update(
      AgentName agent, String key, CrdtType<T> type, Change<T> change) {
    ReplicaKey k = ReplicaKey.of(key);
    check(k, replicas.declareType(k, type.toString()), type);
    synchronized (locks.computeIfAbsent(key + "/" + agent.value(), x -> new Object())) {
      T merged = merged(k, type);
      HybridLogicalClock hlc = clock(agent);
      HlcTimestamp latest = latestStamp(merged);
      if (latest != null) {
        hlc.update(latest);
      }
      T next = change.apply(merged, new UpdateContext(agent.value(), hlc.now()));
      replicas.write(
          k,
          agent,
          Json.object()
              .put("key", key)
              .put("type", type.toString())
              .put("agent", agent.value())
              .put("updated", OffsetDateTime.now(clock).toString())
              .set("state", CrdtJson.encode(next)));
      return next;
    }
  }

  @Override
  public SortedMap<AgentName, Crdt<?, ?>> replicas(String key) {
    ReplicaKey k = ReplicaKey.of(key);
    SortedMap<AgentName, Crdt<?, ?>> out = new TreeMap<>();
    Optional<CrdtType<?>> type = typeOf(key);
    if (type.isPresent()) {
      for (Map.Entry<AgentName, JsonNode> e : replicas.readAll(k).entrySet()) {
        Crdt<?, ?> state = decode(k, e.getKey(), e.getValue(), type.get());
        if (state != null) {
          out.put(e.getKey(), state);
        }
      }
    }
    return out;
  }

  @Override
  public SortedSet<String> keys() {
    SortedSet<String> out = new TreeSet<>();
    replicas.keys().forEach(k -> out.add(k.value()));
    return out;
  }

  @Override
  public HybridLogicalClock clock(AgentName agent) {
    return clocks.computeIfAbsent(agent, a -> HybridLogicalClock.of(a.value(), clock, maxOffset));
  }

  private static void check(ReplicaKey key, String recorded, CrdtType<?> type) {
    if (!recorded.equals(type.toString())) {
      throw new CrdtTypeMismatchException(key.value(), recorded, type.toString());
    }
  }

  private <T extends Crdt<T, ?>> T merged(ReplicaKey key, CrdtType<T> type) {
    T state = type.empty();
    for (Map.Entry<AgentName, JsonNode> e : replicas.readAll(key).entrySet()) {
      T replica = decode(key, e.getKey(), e.getValue(), type);
      if (replica != null) {
        state = state.merge(replica);
      }
    }
    return state;
  }

  private static <T extends Crdt<T, ?>> @Nullable T decode(
      ReplicaKey key, AgentName agent, JsonNode replica, CrdtType<T> type) {
    try {
      return CrdtJson.decode(replica.path("state"), type);
    } catch (IllegalArgumentException e) {
      // A foreign or damaged replica must not stop every reader; its writer has to repair it.
      LOG.warn("ignoring {}'s replica of CRDT key '{}': {}", agent, key, e.getMessage());
      return null;
    }
  }

  private static @Nullable HlcTimestamp latestStamp(Crdt<?, ?> state) {
    if (state instanceof LWWRegister r) {
      return r.stamp();
    }
    if (state instanceof LWWMap m) {
      return m.entries().values().stream()
          .map(LWWRegister::stamp)
          .filter(java.util.Objects::nonNull)
          .max(HlcTimestamp::compareTo)
          .orElse(null);
    }
    return null;
  }
}
