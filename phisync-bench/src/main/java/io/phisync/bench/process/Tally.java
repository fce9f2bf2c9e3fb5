package io.phisync.bench.process;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Counts handled messages up to the expected number, with each one's latency. Thread-safe. */
final class Tally {
  private final long[] latencies;
  private final CountDownLatch done = new CountDownLatch(1);
  private int seen;
  private long startNanos;
  private long endNanos;

  Tally(int expected) {
    this.latencies = new long[expected];
  }

  synchronized void start() {
    startNanos = System.nanoTime();
  }

  /** Records one handled message sent at {@code sentMicros} and received at {@code atMicros}. */
  synchronized void seen(long sentMicros, long atMicros) {
    if (seen < latencies.length) {
      latencies[seen++] = atMicros - sentMicros;
      if (seen == latencies.length) {
        endNanos = System.nanoTime();
        done.countDown();
      }
    }
  }

  boolean isDone() {
    return done.getCount() == 0;
  }

  void await() throws InterruptedException {
    if (!done.await(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("gave up waiting for messages");
    }
  }

  synchronized ChildResult result() {
    return new ChildResult(seen, endNanos - startNanos, Arrays.copyOf(latencies, seen));
  }
}
