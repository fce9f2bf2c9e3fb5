package io.phisync.lock;

/**
 * A monotonic time source in nanoseconds, as {@link System#nanoTime()}: only differences between
 * two readings of one process mean anything. Tests replace it.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds since an arbitrary origin. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
