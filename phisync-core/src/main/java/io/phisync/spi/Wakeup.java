package io.phisync.spi;

import java.time.Duration;

/**
 * A hint that something may have changed. A waiter re-lists after every wake-up, so a wake-up
 * without a change costs one listing and a missed one costs at most one rescan interval.
 */
public interface Wakeup extends AutoCloseable {

  /**
   * Blocks until something may have changed or {@code max} has passed.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  void await(Duration max) throws InterruptedException;

  /** Tells a polling wake-up that work was found, so its backoff starts again at the minimum. */
  void reset();

  @Override
  void close();
}
