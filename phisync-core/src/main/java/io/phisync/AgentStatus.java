package io.phisync;

import io.phisync.protocol.AgentName;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one agent.
 *
 * @param agent its name
 * @param status what it last said of itself (initialized, running, ...), or {@code unknown}
 * @param lastHeartbeat its last sign of life, if it wrote one
 * @param heartbeatAge how long ago that was
 * @param pending messages waiting in its inbox
 * @param claimed messages held by its consumers
 * @param deadLetters dead letters from its inbox
 */
public record AgentStatus(
    AgentName agent,
    String status,
    @Nullable OffsetDateTime lastHeartbeat,
    @Nullable Duration heartbeatAge,
    int pending,
    int claimed,
    int deadLetters) {}
