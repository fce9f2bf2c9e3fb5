package io.phisync.lock;

import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link Locks} behaves.
 *
 * @param ownerId this holder's id, written into grants
 * @param foreignLease how long a foreign lock file must stay unchanged (same content, as this
 *     observer sees it) before it is taken as abandoned and removed
 * @param ticker the monotonic time source that judges staleness
 * @param clock the wall clock, for the informative times in records
 */
public record LockOptions(String ownerId, Duration foreignLease, Ticker ticker, Clock clock) {
  /** The default foreign lease: 5 minutes. */
  public static final Duration DEFAULT_FOREIGN_LEASE = Duration.ofMinutes(5);

  /** Defaults: an owner id of host, pid and a random part; the system ticker and clock. */
  public static LockOptions defaults() {
    return new LockOptions(
        DefaultLocks.HOST
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 40),
        DEFAULT_FOREIGN_LEASE,
        Ticker.system(),
        Clock.systemUTC());
  }

  public LockOptions withTicker(Ticker value) {
    return new LockOptions(ownerId, foreignLease, value, clock);
  }

  public LockOptions withClock(Clock value) {
    return new LockOptions(ownerId, foreignLease, ticker, value);
  }

  public LockOptions withOwnerId(String value) {
    return new LockOptions(value, foreignLease, ticker, clock);
  }

  public LockOptions withForeignLease(Duration value) {
    return new LockOptions(ownerId, value, ticker, clock);
  }
}
