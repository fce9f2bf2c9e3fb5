package io.phisync.crdt;

import io.phisync.clock.Causality;
import io.phisync.clock.VectorClock;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A multi-value register: an assignment replaces every value it has seen; concurrent assignments
 * are all kept, for the application (or a later assignment) to resolve. Causality is tracked with
 * vector clocks.
 *
 * @param entries the current values with the clocks of their assignments
 */
public record MVRegister(Set<Entry> entries) implements Crdt<MVRegister, SortedSet<String>> {

  /**
   * One assignment.
   *
   * @param value the value assigned
   * @param clock the vector clock of the assignment
   */
  public record Entry(String value, VectorClock clock) {}

  public MVRegister {
    entries = Set.copyOf(entries);
  }

  /** A register never written. */
  public static MVRegister empty() {
    return new MVRegister(Set.of());
  }

  /** Assigns {@code value} at {@code node}, replacing every value this replica has seen. */
  public MVRegister assign(String node, String value) {
    VectorClock seen = VectorClock.empty();
    for (Entry e : entries) {
      seen = seen.merge(e.clock());
    }
    return new MVRegister(Set.of(new Entry(value, seen.increment(node))));
  }

  @Override
  public MVRegister merge(MVRegister other) {
    Set<Entry> all = new java.util.HashSet<>(entries);
    all.addAll(other.entries);
    return new MVRegister(
        all.stream()
            .filter(
                e -> all.stream().noneMatch(o -> e.clock().compare(o.clock()) == Causality.BEFORE))
            .collect(Collectors.toSet()));
  }

  /** The concurrent values, in order; empty when never written. */
  @Override
  public SortedSet<String> value() {
    return entries.stream().map(Entry::value).collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public CrdtType<MVRegister> type() {
    return CrdtType.MV_REGISTER;
  }
}
