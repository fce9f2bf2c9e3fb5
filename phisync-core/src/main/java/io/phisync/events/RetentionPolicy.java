package io.phisync.events;

import java.time.Duration;

/**
 * How long events are kept: an event is removed once it is older than {@code maxAge} or more than
 * {@code maxPerTopic} newer events follow it in its topic; a topic's newest event is always kept.
 *
 * @param maxAge the longest an event is kept (default 7 days)
 * @param maxPerTopic the most events kept per topic (default 100,000)
 */
public record RetentionPolicy(Duration maxAge, int maxPerTopic) {

  public RetentionPolicy {
    if (maxAge.isNegative() || maxPerTopic < 1) {
      throw new IllegalArgumentException(
          "retention needs maxAge >= 0 and maxPerTopic >= 1, got " + maxAge + ", " + maxPerTopic);
    }
  }

  /** 7 days, at most 100,000 events per topic. */
  public static RetentionPolicy defaults() {
    return new RetentionPolicy(Duration.ofDays(7), 100_000);
  }
}
