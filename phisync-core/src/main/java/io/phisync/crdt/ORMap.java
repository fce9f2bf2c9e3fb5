package io.phisync.crdt;

import io.phisync.clock.VectorClock;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A map from keys to CRDT values of one type, with add-wins keys: an update of a key concurrent
 * with its removal keeps the key. Keys are tracked like the elements of an {@link ORSet}; values
 * merge with their own type's merge. A key that survives a concurrent removal keeps the merged
 * value of the replicas that still hold it (removal does not reset what they hold).
 *
 * @param <T> the type of the values
 * @param values the type of the values
 * @param clock every key update this replica has seen
 * @param entries the present keys with their dots and values
 */
public record ORMap<T extends Crdt<T, ?>>(
    CrdtType<T> values, VectorClock clock, SortedMap<String, Entry<T>> entries)
    implements Crdt<ORMap<T>, SortedMap<String, T>> {

  /**
   * One present key.
   *
   * @param <T> the type of the value
   * @param dots the updates that keep the key present
   * @param value the value
   */
  public record Entry<T extends Crdt<T, ?>>(SortedMap<String, Long> dots, T value) {
    public Entry {
      dots = Dots.copy(dots);
    }
  }

  public ORMap {
    TreeMap<String, Entry<T>> copy = new TreeMap<>();
    entries.forEach(
        (key, entry) -> {
          if (!entry.dots().isEmpty()) {
            copy.put(key, entry);
          }
        });
    entries = Collections.unmodifiableSortedMap(copy);
  }

  /** The empty map of values of type {@code values}. */
  public static <T extends Crdt<T, ?>> ORMap<T> empty(CrdtType<T> values) {
    return new ORMap<>(values, VectorClock.empty(), new TreeMap<>());
  }

  /**
   * Applies {@code change} to {@code key}'s value (the empty value when absent) at {@code node}.
   */
  public ORMap<T> update(String node, String key, UnaryOperator<T> change) {
    VectorClock next = clock.increment(node);
    Entry<T> current = entries.get(key);
    T value = change.apply(current == null ? values.empty() : current.value());
    TreeMap<String, Entry<T>> out = new TreeMap<>(entries);
    out.put(key, new Entry<>(Dots.fresh(next, node), value));
    return new ORMap<>(values, next, out);
  }

  /** Removes {@code key} as far as this replica has seen it updated. */
  public ORMap<T> remove(String key) {
    TreeMap<String, Entry<T>> out = new TreeMap<>(entries);
    out.remove(key);
    return new ORMap<>(values, clock, out);
  }

  /** The value of {@code key}, or null when absent. */
  public @Nullable T get(String key) {
    Entry<T> entry = entries.get(key);
    return entry == null ? null : entry.value();
  }

  @Override
  public ORMap<T> merge(ORMap<T> other) {
    if (!values.equals(other.values)) {
      throw new IllegalArgumentException("cannot merge an " + type() + " with an " + other.type());
    }
    TreeSet<String> keys = new TreeSet<>(entries.keySet());
    keys.addAll(other.entries.keySet());
    TreeMap<String, Entry<T>> out = new TreeMap<>();
    for (String key : keys) {
      Entry<T> mine = entries.get(key);
      Entry<T> theirs = other.entries.get(key);
      SortedMap<String, Long> dots =
          Dots.merge(
              mine == null ? Collections.emptySortedMap() : mine.dots(),
              clock,
              theirs == null ? Collections.emptySortedMap() : theirs.dots(),
              other.clock);
      if (!dots.isEmpty()) {
        out.put(key, new Entry<>(dots, mergeValues(mine, theirs)));
      }
    }
    return new ORMap<>(values, clock.merge(other.clock), out);
  }

  private T mergeValues(@Nullable Entry<T> mine, @Nullable Entry<T> theirs) {
    if (mine == null) {
      return java.util.Objects.requireNonNull(theirs, "entry").value();
    }
    return theirs == null ? mine.value() : mine.value().merge(theirs.value());
  }

  /** The present keys and their values. */
  @Override
  public SortedMap<String, T> value() {
    TreeMap<String, T> out = new TreeMap<>();
    entries.forEach((key, entry) -> out.put(key, entry.value()));
    return Collections.unmodifiableSortedMap(out);
  }

  @Override
  public CrdtType<ORMap<T>> type() {
    return CrdtType.orMap(values);
  }
}
