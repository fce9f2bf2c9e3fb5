package io.phisync.lock;

import io.phisync.spi.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Named locks, held as leases with fencing tokens. Names follow {@link
 * io.phisync.protocol.StateKey#RULE}.
 *
 * <p>A lock is a lease: a holder that stalls longer than its lease without renewing may find the
 * lock granted to someone else. Staleness is judged by each observer's own monotonic clock: an
 * observer takes over a grant only after seeing it unchanged for longer than its lease, never by
 * comparing wall clocks across hosts. Every grant carries a fencing token higher than all earlier
 * grants of the lock, and PhiSync's state store refuses writes with a superseded token.
 *
 * <p>A lock file that a foreign script created ({@code shared/locks/<name>.lock}) is respected as
 * held, until this observer has seen it unchanged for {@link LockOptions#foreignLease()}.
 *
 * <pre>{@code
 * try (Lease lease = phi.locks().acquire("deploy", Duration.ofSeconds(30), Duration.ofMinutes(1))) {
 *   phi.state().put("deploy/version", value, lease.token());
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe and safe across processes.
 */
public interface Locks {

  /** Locks over a transport's lock log. */
  static Locks over(Transport transport, LockOptions options) {
    return new DefaultLocks(transport, options);
  }

  /**
   * Acquires {@code name}, waiting up to {@code wait} for it.
   *
   * @throws LockTimeoutException when it was not free within the wait
   * @throws InterruptedException when interrupted while waiting
   */
  Lease acquire(String name, Duration lease, Duration wait) throws InterruptedException;

  /** Acquires {@code name} if it is free now (or its holder has been seen stale). */
  Optional<Lease> tryAcquire(String name, Duration lease);

  /**
   * Releases the grant of {@code name} with fencing token {@code token}, for a holder in another
   * process (the CLI's {@code lock release}).
   *
   * @throws io.phisync.spi.LeaseLostException when that grant is no longer the lock's holder
   */
  void release(String name, long token);

  /** What {@code name} looks like to this observer now. */
  LockStatus status(String name);

  /** The locks that have grant records, by name. */
  List<String> names();
}
