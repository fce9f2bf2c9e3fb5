package io.phisync.bench.process;

import java.time.Clock;
import java.time.Instant;

/**
 * Wall-clock microseconds, the one time base that two processes on one host share (the JDK reads it
 * with microsecond precision on Linux); monotonic nanoTime is per process.
 */
final class WallClock {
  private static final Clock UTC = Clock.systemUTC();

  private WallClock() {}

  static long micros() {
    Instant now = UTC.instant();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
