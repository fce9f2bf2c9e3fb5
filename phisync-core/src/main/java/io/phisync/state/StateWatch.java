package io.phisync.state;

import java.time.Duration;
import java.util.Optional;

/**
 * The changes of one key, in revision order, from where the watch started. File-system events are
 * only a hint: every wake-up re-reads the key, so no change is missed, though revisions pruned
 * before they were read are skipped. Not thread-safe: one reader per watch.
 */
public interface StateWatch extends AutoCloseable {

  /**
   * The next revision after the last one returned, waiting up to {@code timeout} for it.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  Optional<Versioned> next(Duration timeout) throws InterruptedException;

  @Override
  void close();
}
