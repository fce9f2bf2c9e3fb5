package io.phisync.spi;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import java.time.Instant;

/**
 * A message held by one consumer until its lease runs out.
 *
 * @param agent whose inbox it came from
 * @param envelope the message
 * @param attempt 1 on first delivery, counting up with each failed delivery
 * @param consumer who holds it
 * @param leaseExpiresAt when the message comes back if not acknowledged
 * @param handle where the transport keeps it; opaque to callers
 */
public record Claim(
    AgentName agent,
    Envelope envelope,
    int attempt,
    String consumer,
    Instant leaseExpiresAt,
    String handle) {}
