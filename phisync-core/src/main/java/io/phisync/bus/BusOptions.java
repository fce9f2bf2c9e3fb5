package io.phisync.bus;

import java.time.Clock;
import java.time.Duration;

/**
 * How the bus delivers. Build one with {@link #builder()}; {@link #defaults()} suits most agents.
 *
 * @param lease how long a consumer holds a message before it is delivered again
 * @param maxAttempts deliveries before a message goes to the dead letters
 * @param recoveryInterval how often a receiving consumer returns messages whose leases ran out: at
 *     most this often when its inbox has nothing to hand out, at least every two intervals when it
 *     never runs dry
 * @param clock the wall clock; tests inject their own
 */
public record BusOptions(Duration lease, int maxAttempts, Duration recoveryInterval, Clock clock) {

  public BusOptions {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive, got " + lease);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
  }

  /** A 30 s lease, 5 attempts, recovery every second, the system clock. */
  public static BusOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .lease(lease)
        .maxAttempts(maxAttempts)
        .recoveryInterval(recoveryInterval)
        .clock(clock);
  }

  /** Builds options. */
  public static final class Builder {
    private Duration lease = Duration.ofSeconds(30);
    private int maxAttempts = 5;
    private Duration recoveryInterval = Duration.ofSeconds(1);
    private Clock clock = Clock.systemDefaultZone();

    private Builder() {}

    public Builder lease(Duration value) {
      lease = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder recoveryInterval(Duration value) {
      recoveryInterval = value;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public BusOptions build() {
      return new BusOptions(lease, maxAttempts, recoveryInterval, clock);
    }
  }
}
