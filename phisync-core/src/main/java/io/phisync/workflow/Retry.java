package io.phisync.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Temporal's retry policy, plus jitter. The delay before attempt {@code n + 1} is {@code
 * initialInterval * backoffCoefficient^(n-1)}, at most {@code maximumInterval}, then spread by up
 * to {@code ±jitter} of itself.
 *
 * @param initialInterval the delay after the first failure
 * @param backoffCoefficient how much each delay grows, at least 1
 * @param maximumInterval the longest delay
 * @param maximumAttempts attempts in all, 0 meaning unlimited
 * @param nonRetryableErrors error types that fail the step at once
 * @param jitter a fraction in [0, 1]
 */
public record Retry(
    Duration initialInterval,
    double backoffCoefficient,
    Duration maximumInterval,
    int maximumAttempts,
    List<String> nonRetryableErrors,
    double jitter) {

  /** 1 s, doubling, at most 100 s, 3 attempts, 20 % jitter. */
  public static final Retry DEFAULT =
      new Retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(100), 3, List.of(), 0.2);

  /** One attempt only. */
  public static final Retry NONE =
      new Retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(100), 1, List.of(), 0.0);

  public Retry {
    Objects.requireNonNull(initialInterval, "initialInterval");
    Objects.requireNonNull(maximumInterval, "maximumInterval");
    nonRetryableErrors = List.copyOf(nonRetryableErrors);
    if (initialInterval.isNegative() || maximumInterval.compareTo(initialInterval) < 0) {
      throw new IllegalArgumentException(
          "retry: need 0 <= initialInterval <= maximumInterval, got "
              + initialInterval
              + " and "
              + maximumInterval);
    }
    if (!(backoffCoefficient >= 1.0)) {
      throw new IllegalArgumentException(
          "retry: backoffCoefficient must be at least 1, got " + backoffCoefficient);
    }
    if (maximumAttempts < 0) {
      throw new IllegalArgumentException(
          "retry: maximumAttempts must be 0 (unlimited) or more, got " + maximumAttempts);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("retry: jitter must be in [0, 1], got " + jitter);
    }
  }

  /**
   * The delay after failed attempt {@code attempt} (1-based), given a uniform {@code random} in [0,
   * 1) for the jitter.
   */
  public Duration delayAfter(int attempt, double random) {
    double base =
        initialInterval.toNanos() * Math.pow(backoffCoefficient, Math.max(0, attempt - 1));
    base = Math.min(base, (double) maximumInterval.toNanos());
    double spread = base * jitter * (2 * random - 1);
    return Duration.ofNanos(Math.max(0L, Math.round(base + spread)));
  }

  /** Whether another attempt may follow attempt {@code attempt} (1-based). */
  public boolean allowsAttemptAfter(int attempt) {
    return maximumAttempts == 0 || attempt < maximumAttempts;
  }
}
