package io.phisync.spi;

import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;

/**
 * One failed delivery of a message.
 *
 * @param attempt which attempt failed
 * @param at when
 * @param consumer who held the message
 * @param outcome {@code nack}, {@code lease-expired}, {@code expired} or {@code malformed}
 * @param reason why, in words
 */
public record DeliveryRecord(
    int attempt, OffsetDateTime at, String consumer, String outcome, @Nullable String reason) {}
