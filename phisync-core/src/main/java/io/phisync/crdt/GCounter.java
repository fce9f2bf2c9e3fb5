package io.phisync.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A grow-only counter: one count per node; the value is their sum; merge takes each node's maximum.
 *
 * @param counts each node's increments, all positive, in node order
 */
public record GCounter(SortedMap<String, Long> counts) implements Crdt<GCounter, Long> {
  /**
   * @throws IllegalArgumentException when a count is negative
   */
  public GCounter {
    TreeMap<String, Long> copy = new TreeMap<>();
    counts.forEach(
        (node, count) -> {
          if (count < 0) {
            throw new IllegalArgumentException("a g-counter count is never negative: " + node);
          }
          if (count > 0) {
            copy.put(node, count);
          }
        });
    counts = Collections.unmodifiableSortedMap(copy);
  }

  /** The counter at zero. */
  public static GCounter empty() {
    return new GCounter(new TreeMap<>());
  }

  /** A counter with these counts. */
  public static GCounter of(Map<String, Long> counts) {
    return new GCounter(new TreeMap<>(counts));
  }

  /** Adds one at {@code node}. */
  public GCounter increment(String node) {
    return increment(node, 1);
  }

  /**
   * Adds {@code by} at {@code node}.
   *
   * @throws IllegalArgumentException when {@code by} is not positive
   */
  public GCounter increment(String node, long by) {
    if (by <= 0) {
      throw new IllegalArgumentException("a g-counter only grows: increment by " + by);
    }
    TreeMap<String, Long> next = new TreeMap<>(counts);
    next.merge(node, by, Math::addExact);
    return new GCounter(next);
  }

  @Override
  public GCounter merge(GCounter other) {
    TreeMap<String, Long> next = new TreeMap<>(counts);
    other.counts.forEach((node, count) -> next.merge(node, count, Math::max));
    return new GCounter(next);
  }

  @Override
  public Long value() {
    return counts.values().stream().mapToLong(Long::longValue).reduce(0L, Math::addExact);
  }

  @Override
  public CrdtType<GCounter> type() {
    return CrdtType.G_COUNTER;
  }
}
