package io.phisync.crdt;

import io.phisync.clock.VectorClock;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An add-wins observed-remove set without tombstones (the optimized OR-Set, "ORSWOT"): a remove
 * takes away only the adds it has seen, so an add concurrent with a remove wins. Metadata is one
 * version vector entry per node plus at most one dot per node for each present element; removed
 * elements leave nothing behind.
 *
 * @param clock every add this replica has seen
 * @param elements the present elements, each with the dots of the adds that keep it present
 */
public record ORSet(VectorClock clock, SortedMap<String, SortedMap<String, Long>> elements)
    implements Crdt<ORSet, SortedSet<String>> {

  public ORSet {
    TreeMap<String, SortedMap<String, Long>> copy = new TreeMap<>();
    elements.forEach(
        (element, dots) -> {
          if (!dots.isEmpty()) {
            copy.put(element, Dots.copy(dots));
          }
        });
    elements = Collections.unmodifiableSortedMap(copy);
  }

  /** The empty set. */
  public static ORSet empty() {
    return new ORSet(VectorClock.empty(), new TreeMap<>());
  }

  /** Adds {@code element} at {@code node}. */
  public ORSet add(String node, String element) {
    VectorClock next = clock.increment(node);
    TreeMap<String, SortedMap<String, Long>> out = new TreeMap<>(elements);
    out.put(element, Dots.fresh(next, node));
    return new ORSet(next, out);
  }

  /** Removes {@code element} as far as this replica has seen it added. */
  public ORSet remove(String element) {
    TreeMap<String, SortedMap<String, Long>> out = new TreeMap<>(elements);
    out.remove(element);
    return new ORSet(clock, out);
  }

  /** Whether {@code element} is present. */
  public boolean contains(String element) {
    return elements.containsKey(element);
  }

  @Override
  public ORSet merge(ORSet other) {
    TreeSet<String> all = new TreeSet<>(elements.keySet());
    all.addAll(other.elements.keySet());
    TreeMap<String, SortedMap<String, Long>> out = new TreeMap<>();
    for (String element : all) {
      out.put(
          element,
          Dots.merge(
              elements.getOrDefault(element, Collections.emptySortedMap()),
              clock,
              other.elements.getOrDefault(element, Collections.emptySortedMap()),
              other.clock));
    }
    return new ORSet(clock.merge(other.clock), out);
  }

  @Override
  public SortedSet<String> value() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(elements.keySet()));
  }

  @Override
  public CrdtType<ORSet> type() {
    return CrdtType.OR_SET;
  }

  /** How many dots the set keeps, for checking that metadata stays bounded. */
  public int dotCount() {
    return elements.values().stream().mapToInt(Map::size).sum() + clock.entries().size();
  }
}
