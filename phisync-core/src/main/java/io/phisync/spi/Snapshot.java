package io.phisync.spi;

import io.phisync.protocol.StateKey;
import tools.jackson.databind.JsonNode;

/**
 * A stream's folded state as of a version.
 *
 * @param stream the stream
 * @param version the last event folded in
 * @param state the folded state
 */
public record Snapshot(StateKey stream, long version, JsonNode state) {}
