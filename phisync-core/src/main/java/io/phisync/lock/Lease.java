package io.phisync.lock;

/**
 * A held lock. It stays held while its holder renews it within the lease; a holder that pauses
 * longer may lose it without knowing, which is what the fencing token is for: pass {@link #token()}
 * with every write to a store that checks it (the state store does). Not thread-safe.
 */
public interface Lease extends AutoCloseable {

  /** The lock's name. */
  String name();

  /** The fencing token of this grant: higher than the token of every earlier grant of the lock. */
  long token();

  /** The grant as recorded. */
  LockOwner owner();

  /**
   * Extends the lease: observers start counting it again.
   *
   * @throws io.phisync.spi.LeaseLostException when the lock was taken over
   */
  void renew();

  /**
   * Releases the lock.
   *
   * @throws io.phisync.spi.LeaseLostException when the lock was taken over meanwhile
   */
  void release();

  /** Releases the lock if it is still held; a lock already lost is not an error here. */
  @Override
  void close();
}
