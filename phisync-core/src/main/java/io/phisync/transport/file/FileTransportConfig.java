package io.phisync.transport.file;

import io.phisync.spi.Durability;
import io.phisync.spi.PollingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link FileTransport} behaves. Build one with {@link #builder(Path)}.
 *
 * @param root the coordination root
 * @param durability whether writes are forced to disk
 * @param pollingMode how waiters learn of changes
 * @param malformedGrace how long a file that does not parse may still be in the middle of being
 *     written by a foreign, non-atomic writer before it is dead-lettered
 * @param rescanInterval how often a watching waiter re-lists even without a file-system event
 * @param pollMinimum the first polling delay
 * @param pollMaximum the longest polling delay
 * @param processedIdRetention how long acknowledged ids are remembered for deduplication
 * @param clock the wall clock (leases, expiry, dated folders); tests inject their own
 */
public record FileTransportConfig(
    Path root,
    Durability durability,
    PollingMode pollingMode,
    Duration malformedGrace,
    Duration rescanInterval,
    Duration pollMinimum,
    Duration pollMaximum,
    Duration processedIdRetention,
    Clock clock) {

  /** A builder with the defaults: durable, automatic polling, 100 ms to 5 s backoff. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Builds configurations. */
  public static final class Builder {
    private final Path root;
    private Durability durability = Durability.DURABLE;
    private PollingMode pollingMode = PollingMode.AUTO;
    private Duration malformedGrace = Duration.ofSeconds(5);
    private Duration rescanInterval = Duration.ofSeconds(1);
    private Duration pollMinimum = Duration.ofMillis(100);
    private Duration pollMaximum = Duration.ofSeconds(5);
    private Duration processedIdRetention = Duration.ofDays(7);
    private Clock clock = Clock.systemDefaultZone();

    private Builder(Path root) {
      this.root = root;
    }

    public Builder durability(Durability value) {
      durability = value;
      return this;
    }

    public Builder pollingMode(PollingMode value) {
      pollingMode = value;
      return this;
    }

    public Builder malformedGrace(Duration value) {
      malformedGrace = value;
      return this;
    }

    public Builder rescanInterval(Duration value) {
      rescanInterval = value;
      return this;
    }

    public Builder pollBackoff(Duration minimum, Duration maximum) {
      if (minimum.isNegative() || minimum.isZero() || maximum.compareTo(minimum) < 0) {
        throw new IllegalArgumentException(
            "poll backoff needs 0 < minimum <= maximum, got " + minimum + " and " + maximum);
      }
      pollMinimum = minimum;
      pollMaximum = maximum;
      return this;
    }

    public Builder processedIdRetention(Duration value) {
      processedIdRetention = value;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public FileTransportConfig build() {
      return new FileTransportConfig(
          root.toAbsolutePath().normalize(),
          durability,
          pollingMode,
          malformedGrace,
          rescanInterval,
          pollMinimum,
          pollMaximum,
          processedIdRetention,
          clock);
    }
  }
}
