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
 * with its removal keeps the key. Key presence is tracked like the elements of an {@link ORSet};
 * values merge with their own type's merge.
 *
 * <p>A removal hides a key; it does not reset its value. The map keeps the value of a removed key,
 * so that merging stays associative, and a later (or concurrent) update brings the key back with
 * everything its value held. Metadata grows with the keys ever written, not with the updates.
 *
 * @param <T> the type of the values
 * @param values the type of the values
 * @param clock every key update this replica has seen
 * @param entries every key ever written, with the dots that keep it present (none when removed) and
 *     its value
 */
public record ORMap<T extends Crdt<T, ?>>(
    CrdtType<T> values, VectorClock clock, SortedMap<String, Entry<T>> entries)
    implements Crdt<ORMap<T>, SortedMap<String, T>> {

  /**
   * One present key.
   *
   * @param <T> the type of the value
   * @param dots the updates that keep the key present; empty when the key is removed
   * @param value the value
   */
  public record Entry<T extends Crdt<T, ?>>(SortedMap<String, Long> dots, T value) {
    public Entry {
      dots = Dots.copy(dots);
    }
  }

  public ORMap {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
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
    Entry<T> current = entries.get(key);
    if (current == null) {
      return this;
    }
    TreeMap<String, Entry<T>> out = new TreeMap<>(entries);
    out.put(key, new Entry<>(Collections.emptySortedMap(), current.value()));
    return new ORMap<>(values, clock, out);
  }

  /** Whether {@code key} is present. */
  public boolean containsKey(String key) {
    Entry<T> entry = entries.get(key);
    return entry != null && !entry.dots().isEmpty();
  }

  /** The value of {@code key}, or null when absent. */
  public @Nullable T get(String key) {
    Entry<T> entry = entries.get(key);
    return entry == null || entry.dots().isEmpty() ? null : entry.value();
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
      out.put(key, new Entry<>(dots, mergeValues(mine, theirs)));
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
    entries.forEach(
        (key, entry) -> {
          if (!entry.dots().isEmpty()) {
            out.put(key, entry.value());
          }
        });
    return Collections.unmodifiableSortedMap(out);
  }

  @Override
  public CrdtType<ORMap<T>> type() {
    return CrdtType.orMap(values);
  }
}
