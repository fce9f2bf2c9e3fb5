package io.phisync.crdt;

import io.phisync.clock.VectorClock;
import java.util.Collections;
import java.util.SortedMap;

/**
 * An enable-wins flag: an enable concurrent with a disable wins. Built as a one-element optimized
 * OR-Set: an enable adds a dot, a disable removes the dots it has seen.
 *
 * @param clock every enable this replica has seen
 * @param dots the enables that keep the flag on; empty when off
 */
public record Flag(VectorClock clock, SortedMap<String, Long> dots) implements Crdt<Flag, Boolean> {

  public Flag {
    dots = Dots.copy(dots);
  }

  /** A flag that is off. */
  public static Flag empty() {
    return new Flag(VectorClock.empty(), Collections.emptySortedMap());
  }

  /** Turns the flag on at {@code node}. */
  public Flag enable(String node) {
    VectorClock next = clock.increment(node);
    return new Flag(next, Dots.fresh(next, node));
  }

  /** Turns the flag off, as far as this replica has seen it turned on. */
  public Flag disable() {
    return new Flag(clock, Collections.emptySortedMap());
  }

  @Override
  public Flag merge(Flag other) {
    return new Flag(clock.merge(other.clock), Dots.merge(dots, clock, other.dots, other.clock));
  }

  @Override
  public Boolean value() {
    return !dots.isEmpty();
  }

  @Override
  public CrdtType<Flag> type() {
    return CrdtType.FLAG;
  }
}
