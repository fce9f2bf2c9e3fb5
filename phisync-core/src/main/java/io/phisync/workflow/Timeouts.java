package io.phisync.workflow;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Temporal's three activity timeouts; null means none.
 *
 * @param scheduleToStart from dispatch until an agent claims the request (the request expires then
 *     and is dead-lettered unclaimed); the attempt fails with {@code Timeout.ScheduleToStart}
 * @param startToClose from the claim until the response, per attempt; {@code Timeout.StartToClose}
 * @param scheduleToClose from the first dispatch until the final response, across all attempts;
 *     {@code Timeout.ScheduleToClose}, never retried
 */
public record Timeouts(
    @Nullable Duration scheduleToStart,
    @Nullable Duration startToClose,
    @Nullable Duration scheduleToClose) {
  /** No timeouts. */
  public static final Timeouts NONE = new Timeouts(null, null, null);
}
