package io.phisync.stream;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * An event as stored in a stream.
 *
 * @param stream the stream
 * @param version its position: 1 for the first event, contiguous, never reused
 * @param type what happened
 * @param data its details
 * @param appended when it was appended, by the appender's clock (informative only)
 */
public record StreamEvent(
    String stream, long version, String type, JsonNode data, Instant appended) {}
