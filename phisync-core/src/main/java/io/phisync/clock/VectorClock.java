package io.phisync.clock;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A vector clock: one counter per node, absent meaning zero. Immutable; every operation returns a
 * new clock. Entries are kept in node order, so equal clocks print and encode identically.
 *
 * @param entries each node's counter, all positive; an unmodifiable sorted copy
 */
public record VectorClock(SortedMap<String, Long> entries) {
  private static final VectorClock EMPTY = new VectorClock(new TreeMap<>());

  /**
   * @throws IllegalArgumentException when a node id breaks the rule or a counter is not positive
   */
  public VectorClock {
    TreeMap<String, Long> copy = new TreeMap<>();
    for (Map.Entry<String, Long> e : entries.entrySet()) {
      long counter = e.getValue();
      if (counter < 0) {
        throw new IllegalArgumentException(
            "a vector clock counter is never negative: " + e.getKey() + "=" + counter);
      }
      if (counter > 0) {
        copy.put(NodeIds.check(e.getKey()), counter);
      }
    }
    entries = Collections.unmodifiableSortedMap(copy);
  }

  /** The clock that has seen nothing. */
  public static VectorClock empty() {
    return EMPTY;
  }

  /** A clock with these counters. */
  public static VectorClock of(Map<String, Long> entries) {
    return new VectorClock(new TreeMap<>(entries));
  }

  /** The counter of {@code node}; zero when absent. */
  public long get(String node) {
    return entries.getOrDefault(node, 0L);
  }

  /**
   * This clock with {@code node}'s counter one higher: the clock of a new event at {@code node}.
   */
  public VectorClock increment(String node) {
    TreeMap<String, Long> next = new TreeMap<>(entries);
    next.merge(NodeIds.check(node), 1L, Math::addExact);
    return new VectorClock(next);
  }

  /** The least clock that is at or after both: each node's greater counter. */
  public VectorClock merge(VectorClock other) {
    TreeMap<String, Long> next = new TreeMap<>(entries);
    other.entries.forEach((node, counter) -> next.merge(node, counter, Math::max));
    return new VectorClock(next);
  }

  /** Whether this clock has seen the event {@code counter} of {@code node}. */
  public boolean covers(String node, long counter) {
    return get(node) >= counter;
  }

  /** How this clock relates to {@code other}. */
  public Causality compare(VectorClock other) {
    boolean less = false;
    boolean greater = false;
    TreeMap<String, Long> nodes = new TreeMap<>(entries);
    nodes.putAll(other.entries);
    for (String node : nodes.keySet()) {
      long mine = get(node);
      long theirs = other.get(node);
      less |= mine < theirs;
      greater |= mine > theirs;
    }
    if (less && greater) {
      return Causality.CONCURRENT;
    }
    return less ? Causality.BEFORE : greater ? Causality.AFTER : Causality.EQUAL;
  }

  /** Whether this clock is after or equal to {@code other}. */
  public boolean dominates(VectorClock other) {
    Causality c = compare(other);
    return c == Causality.AFTER || c == Causality.EQUAL;
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
