package io.phisync.spi;

import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What an agent wrote about itself in its status file.
 *
 * @param status such as initialized, running, draining, stopped
 * @param lastHeartbeat its last sign of life
 * @param raw the whole record, for fields this version does not know
 */
public record AgentRecord(
    @Nullable String status, @Nullable OffsetDateTime lastHeartbeat, JsonNode raw) {}
