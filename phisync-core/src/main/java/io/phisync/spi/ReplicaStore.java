package io.phisync.spi;

import io.phisync.protocol.AgentName;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import tools.jackson.databind.JsonNode;

/**
 * Where CRDT replicas live: one replica document per key and agent, written only by that agent and
 * replaced atomically, plus the key's type, fixed by the first writer. Readers merge the replicas;
 * the storage knows nothing of the CRDTs themselves.
 *
 * <p>Implementations are thread-safe and safe across processes.
 */
public interface ReplicaStore {

  /**
   * Records {@code type} as the type of {@code key} unless a type is recorded already, and returns
   * the recorded one. Of several first writers exactly one wins.
   */
  String declareType(ReplicaKey key, String type);

  /** The recorded type of {@code key}, if any replica was ever written. */
  Optional<String> type(ReplicaKey key);

  /** Replaces {@code agent}'s replica of {@code key} atomically. */
  void write(ReplicaKey key, AgentName agent, JsonNode replica);

  /**
   * Every agent's replica of {@code key}, by agent name. A replica that does not parse is left out
   * (and logged); it is its writer's to repair.
   */
  SortedMap<AgentName, JsonNode> readAll(ReplicaKey key);

  /** {@code agent}'s replica of {@code key}, if it wrote one. */
  Optional<JsonNode> read(ReplicaKey key, AgentName agent);

  /** The keys with a recorded type. */
  SortedSet<ReplicaKey> keys();
}
