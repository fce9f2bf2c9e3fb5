package io.phisync.agent;

import java.time.Duration;
import java.util.Set;

/**
 * How an agent retries a failed handler, with Temporal's fields. After a failure the agent waits
 * the backoff (holding the message, its lease renewed), then gives the message back (nack, with the
 * failure as the reason) so that any instance may take the next attempt. A failure at attempt
 * {@code maximumAttempts}, or one whose exception is non-retryable, dead-letters the message; a
 * request's requester then gets an error response.
 *
 * @param maximumAttempts deliveries in all, at least 1
 * @param initialInterval the wait before the second attempt
 * @param backoffCoefficient how much each wait grows, at least 1
 * @param maximumInterval the longest wait
 * @param nonRetryable exception types that dead-letter at once (subtypes included)
 */
public record RetryPolicy(
    int maximumAttempts,
    Duration initialInterval,
    double backoffCoefficient,
    Duration maximumInterval,
    Set<Class<? extends Throwable>> nonRetryable) {

  public RetryPolicy {
    if (maximumAttempts < 1) {
      throw new IllegalArgumentException(
          "maximumAttempts must be at least 1, got " + maximumAttempts);
    }
    if (initialInterval.isNegative() || maximumInterval.isNegative()) {
      throw new IllegalArgumentException("retry intervals must not be negative");
    }
    if (!(backoffCoefficient >= 1.0)) {
      throw new IllegalArgumentException(
          "backoffCoefficient must be at least 1, got " + backoffCoefficient);
    }
    nonRetryable = Set.copyOf(nonRetryable);
  }

  /** 5 attempts; waits of 1 s, doubling, at most 1 min; every exception is retryable. */
  public static RetryPolicy ofDefaults() {
    return builder().build();
  }

  /** A policy that never retries: the first failure dead-letters. */
  public static RetryPolicy none() {
    return builder().maximumAttempts(1).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The wait before {@code attempt} (2 or more); zero for the first. */
  public Duration delayBefore(int attempt) {
    if (attempt <= 1 || initialInterval.isZero()) {
      return Duration.ZERO;
    }
    double millis = initialInterval.toMillis() * Math.pow(backoffCoefficient, attempt - 2.0);
    long capped = (long) Math.min(millis, (double) maximumInterval.toMillis());
    return Duration.ofMillis(capped);
  }

  /** Whether {@code failure} dead-letters at once. */
  public boolean isNonRetryable(Throwable failure) {
    return nonRetryable.stream().anyMatch(type -> type.isInstance(failure));
  }

  /** Builds a {@link RetryPolicy}. */
  public static final class Builder {
    private int maximumAttempts = 5;
    private Duration initialInterval = Duration.ofSeconds(1);
    private double backoffCoefficient = 2.0;
    private Duration maximumInterval = Duration.ofMinutes(1);
    private Set<Class<? extends Throwable>> nonRetryable = Set.of();

    private Builder() {}

    public Builder maximumAttempts(int value) {
      maximumAttempts = value;
      return this;
    }

    public Builder initialInterval(Duration value) {
      initialInterval = value;
      return this;
    }

    public Builder backoffCoefficient(double value) {
      backoffCoefficient = value;
      return this;
    }

    public Builder maximumInterval(Duration value) {
      maximumInterval = value;
      return this;
    }

    @SafeVarargs
    public final Builder nonRetryable(Class<? extends Throwable>... types) {
      nonRetryable = Set.of(types);
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(
          maximumAttempts, initialInterval, backoffCoefficient, maximumInterval, nonRetryable);
    }
  }
}
