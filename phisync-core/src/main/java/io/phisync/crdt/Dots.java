package io.phisync.crdt;

import io.phisync.clock.VectorClock;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Dot sets of the optimized OR-Set (Bieniusa et al., "An optimized conflict-free replicated set",
 * 2012): each present element carries the dots (node, counter) of the adds that made it present, at
 * most one per node, and the replica's version vector records every dot it has seen. A dot the
 * other replica has seen but no longer holds was removed there; nothing else records removals.
 */
final class Dots {
  private Dots() {}

  static SortedMap<String, Long> copy(Map<String, Long> dots) {
    TreeMap<String, Long> copy = new TreeMap<>();
    dots.forEach(
        (node, counter) -> {
          if (counter <= 0) {
            throw new IllegalArgumentException(
                "a dot's counter is positive: " + node + ":" + counter);
          }
          copy.put(node, counter);
        });
    return Collections.unmodifiableSortedMap(copy);
  }

  /** The single dot of a new add by {@code node} under the already incremented clock. */
  static SortedMap<String, Long> fresh(VectorClock clock, String node) {
    return copy(Map.of(node, clock.get(node)));
  }

  /**
   * The dots that survive a merge: those both sides hold, and those one side holds that the other
   * has not seen.
   */
  static SortedMap<String, Long> merge(
      Map<String, Long> mine,
      VectorClock myClock,
      Map<String, Long> theirs,
      VectorClock theirClock) {
    TreeMap<String, Long> out = new TreeMap<>();
    keep(mine, theirs, theirClock, out);
    keep(theirs, mine, myClock, out);
    return Collections.unmodifiableSortedMap(out);
  }

  private static void keep(
      Map<String, Long> dots,
      Map<String, Long> other,
      VectorClock otherClock,
      TreeMap<String, Long> out) {
    dots.forEach(
        (node, counter) -> {
          if (counter.equals(other.get(node)) || !otherClock.covers(node, counter)) {
            out.merge(node, counter, Math::max);
          }
        });
  }
}
