package io.phisync.crdt.store;

import io.phisync.clock.HybridLogicalClock;
import io.phisync.crdt.Crdt;
import io.phisync.crdt.CrdtType;
import io.phisync.protocol.AgentName;
import io.phisync.spi.ReplicaStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Replicated CRDTs: each key has one fixed type (recorded by its first write) and one replica per
 * agent. An agent updates only its own replica: it merges every replica it can read, applies its
 * change and atomically replaces its replica file. Readers merge all replicas, so every reader that
 * sees the same files computes the same state, whatever the order of the writes.
 *
 * <p>One process at a time should write a given agent's replicas (two processes writing as the same
 * agent may overwrite each other's update). This interface is thread-safe.
 */
public interface CrdtStore {

  /**
   * The store over {@code replicas}, stamping with hybrid logical clocks on {@code clock} that
   * refuse timestamps more than {@code maxOffset} ahead.
   */
  static CrdtStore over(ReplicaStore replicas, Clock clock, Duration maxOffset) {
    return new DefaultCrdtStore(replicas, clock, maxOffset);
  }

  /**
   * The merged state of {@code key}; the empty state when nobody wrote it.
   *
   * @throws IllegalArgumentException when the key breaks the key rule
   * @throws CrdtTypeMismatchException when the key has another type
   */
  <T extends Crdt<T, ?>> T get(String key, CrdtType<T> type);

  /** The merged state of {@code key}, whatever its type; empty when nobody wrote it. */
  Optional<Crdt<?, ?>> get(String key);

  /** The recorded type of {@code key}; empty when nobody wrote it. */
  Optional<CrdtType<?>> typeOf(String key);

  /**
   * Updates {@code agent}'s replica of {@code key}: merges every replica, applies {@code change}
   * and replaces the agent's replica file. The first write of a key fixes its type.
   *
   * @return the agent's new replica, which includes everything it merged
   * @throws CrdtTypeMismatchException when the key has another type; nothing is written
   * @throws io.phisync.clock.ClockOffsetException when a replica carries a timestamp further ahead
   *     of this host's clock than the maximum offset; nothing is written
   */
  <T extends Crdt<T, ?>> T update(AgentName agent, String key, CrdtType<T> type, Change<T> change);

  /** Every agent's own replica of {@code key}, by agent. */
  SortedMap<AgentName, Crdt<?, ?>> replicas(String key);

  /** The keys anybody wrote, in order. */
  SortedSet<String> keys();

  /** The hybrid logical clock that stamps {@code agent}'s updates in this process. */
  HybridLogicalClock clock(AgentName agent);

  /**
   * An update of one replica.
   *
   * @param <T> the CRDT type
   */
  @FunctionalInterface
  interface Change<T> {
    /** The new state from the merged {@code state}; {@code context} names the node and stamp. */
    T apply(T state, UpdateContext context);
  }
}
