package io.phisync.crdt;

/**
 * A counter that goes up and down: two grow-only counters, the value is their difference.
 *
 * @param increments what was added
 * @param decrements what was subtracted
 */
public record PNCounter(GCounter increments, GCounter decrements) implements Crdt<PNCounter, Long> {

  /** The counter at zero. */
  public static PNCounter empty() {
    return new PNCounter(GCounter.empty(), GCounter.empty());
  }

  /**
   * Adds {@code by} at {@code node}; a negative {@code by} subtracts.
   *
   * @throws IllegalArgumentException when {@code by} is zero
   */
  public PNCounter increment(String node, long by) {
    if (by == 0) {
      throw new IllegalArgumentException("an update changes the counter: by 0");
    }
    return by > 0
        ? new PNCounter(increments.increment(node, by), decrements)
        : new PNCounter(increments, decrements.increment(node, Math.negateExact(by)));
  }

  /** Subtracts {@code by} (positive) at {@code node}. */
  public PNCounter decrement(String node, long by) {
    if (by <= 0) {
      throw new IllegalArgumentException("decrement by a positive amount, not " + by);
    }
    return increment(node, -by);
  }

  @Override
  public PNCounter merge(PNCounter other) {
    return new PNCounter(increments.merge(other.increments), decrements.merge(other.decrements));
  }

  @Override
  public Long value() {
    return Math.subtractExact(increments.value(), decrements.value());
  }

  @Override
  public CrdtType<PNCounter> type() {
    return CrdtType.PN_COUNTER;
  }
}
