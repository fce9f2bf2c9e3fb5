package io.phisync.crdt;

/**
 * A state-based CRDT. Implementations are immutable records; {@link #merge} is commutative,
 * associative and idempotent, and every update returns a new value.
 *
 * @param <T> the CRDT's own type
 * @param <V> the type of the value it stands for
 */
public sealed interface Crdt<T extends Crdt<T, V>, V>
    permits GCounter, PNCounter, LWWRegister, MVRegister, ORSet, Flag, LWWMap, ORMap {

  /** The least state that includes both this and {@code other}. */
  T merge(T other);

  /** The value this state stands for, as the application sees it. */
  V value();

  /** The type, whose name is written in replica files. */
  CrdtType<T> type();
}
