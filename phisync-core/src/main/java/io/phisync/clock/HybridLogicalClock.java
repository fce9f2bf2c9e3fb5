package io.phisync.clock;

import java.time.Clock;
import java.time.Duration;

/**
 * A hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014): timestamps
 * that never go backwards, that order after every timestamp this node has seen, and that stay
 * within the maximum offset of physical time.
 *
 * <p>{@link #update} refuses a remote timestamp further ahead of the local physical clock than the
 * maximum offset, so one host with a wrong clock cannot push every other clock into the future.
 *
 * <p>This class is thread-safe.
 */
public final class HybridLogicalClock {
  /** The default maximum offset between hosts' clocks: one minute. */
  public static final Duration DEFAULT_MAX_OFFSET = Duration.ofMinutes(1);

  private final String node;
  private final Clock physical;
  private final Duration maxOffset;
  private long last;
  private int logical;

  private HybridLogicalClock(String node, Clock physical, Duration maxOffset) {
    if (maxOffset.isNegative()) {
      throw new IllegalArgumentException("the maximum offset is not negative: " + maxOffset);
    }
    this.node = NodeIds.check(node);
    this.physical = physical;
    this.maxOffset = maxOffset;
  }

  /** A clock for {@code node} on the system clock with the default maximum offset. */
  public static HybridLogicalClock of(String node) {
    return of(node, Clock.systemUTC(), DEFAULT_MAX_OFFSET);
  }

  /**
   * A clock for {@code node} reading physical time from {@code physical}.
   *
   * @throws IllegalArgumentException when the node id breaks its rule or the offset is negative
   */
  public static HybridLogicalClock of(String node, Clock physical, Duration maxOffset) {
    return new HybridLogicalClock(node, physical, maxOffset);
  }

  /** The node this clock stamps for. */
  public String node() {
    return node;
  }

  /** The maximum offset {@link #update} accepts. */
  public Duration maxOffset() {
    return maxOffset;
  }

  /** A timestamp for a local or send event: after every timestamp this clock gave or saw. */
  public synchronized HlcTimestamp now() {
    long pt = physical.millis();
    if (pt > last) {
      last = pt;
      logical = 0;
    } else {
      logical = Math.incrementExact(logical);
    }
    return current();
  }

  /**
   * Takes in a timestamp received from another node and returns the timestamp of the receive event,
   * which orders after both {@code remote} and everything this clock gave before.
   *
   * @throws ClockOffsetException when {@code remote} is more than the maximum offset ahead of the
   *     local physical clock; the clock is left unchanged
   */
  public synchronized HlcTimestamp update(HlcTimestamp remote) {
    long pt = physical.millis();
    long ahead = remote.physicalMillis() - pt;
    if (ahead > maxOffset.toMillis()) {
      throw new ClockOffsetException(remote, Duration.ofMillis(ahead), maxOffset);
    }
    long next = Math.max(Math.max(last, remote.physicalMillis()), pt);
    if (next == last && next == remote.physicalMillis()) {
      logical = Math.incrementExact(Math.max(logical, remote.logical()));
    } else if (next == last) {
      logical = Math.incrementExact(logical);
    } else if (next == remote.physicalMillis()) {
      logical = Math.incrementExact(remote.logical());
    } else {
      logical = 0;
    }
    last = next;
    return current();
  }

  private HlcTimestamp current() {
    return new HlcTimestamp(last, logical, node);
  }
}
