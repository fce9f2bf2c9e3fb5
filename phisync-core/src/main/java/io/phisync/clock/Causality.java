package io.phisync.clock;

/** How two vector clocks (or the events they stand for) relate. */
public enum Causality {
  /** This happened before the other: every entry is lower or equal, one is lower. */
  BEFORE,
  /** This happened after the other: every entry is greater or equal, one is greater. */
  AFTER,
  /** Neither saw the other: each has an entry greater than the other's. */
  CONCURRENT,
  /** The same history. */
  EQUAL
}
