package io.phisync.bench.process;

/**
 * What a child reports: how many messages it handled, how long that took from the start signal, and
 * one latency per message where the role measures latency (microseconds, possibly empty).
 */
public record ChildResult(long count, long elapsedNanos, long[] latenciesMicros) {
  /** Messages per second over the elapsed time. */
  public double perSecond() {
    return count * 1e9 / Math.max(1, elapsedNanos);
  }
}
