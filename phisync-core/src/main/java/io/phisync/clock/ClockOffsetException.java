package io.phisync.clock;

import java.time.Duration;

/**
 * A remote timestamp is further ahead of the local physical clock than the configured maximum
 * offset: accepting it would drag this clock (and everything stamped after) into the future.
 */
public final class ClockOffsetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient HlcTimestamp remote;
  private final Duration ahead;
  private final Duration maxOffset;

  ClockOffsetException(HlcTimestamp remote, Duration ahead, Duration maxOffset) {
    super(
        "refused HLC timestamp "
            + remote
            + " from node '"
            + remote.node()
            + "': it is "
            + ahead.toMillis()
            + " ms ahead of the local clock, more than the maximum offset of "
            + maxOffset.toMillis()
            + " ms (check the clocks of both hosts)");
    this.remote = remote;
    this.ahead = ahead;
    this.maxOffset = maxOffset;
  }

  /** The refused timestamp. */
  public HlcTimestamp remote() {
    return remote;
  }

  /** How far ahead of the local physical clock it was. */
  public Duration ahead() {
    return ahead;
  }

  /** The configured maximum. */
  public Duration maxOffset() {
    return maxOffset;
  }
}
