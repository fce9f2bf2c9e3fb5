package io.phisync.bench.process;

/** Times {@code count} round trips, {@code intervalMs} apart (a low, steady rate). */
final class RoundTrips {
  /** One request and the wait for its response. */
  interface Trip {
    void run() throws Exception;
  }

  private final int count;
  private final long intervalMs;

  RoundTrips(ChildOptions options) {
    this.count = options.integer("count");
    this.intervalMs = options.longValue("intervalMs", 10);
  }

  ChildResult run(Trip trip) throws Exception {
    long[] latencies = new long[count];
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Thread.sleep(intervalMs);
      long t0 = System.nanoTime();
      trip.run();
      latencies[i] = (System.nanoTime() - t0) / 1_000;
    }
    return new ChildResult(count, System.nanoTime() - start, latencies);
  }
}
