package io.phisync.spi;

import io.phisync.protocol.Envelope;

/**
 * One stored message of a conversation.
 *
 * @param location where it is, relative to the root, such as {@code webc/inbox/processed/...}
 * @param state pending, claimed, processed, response, response-taken, response-expired or
 *     dead-letter
 * @param envelope the message
 */
public record TraceEntry(String location, String state, Envelope envelope) {}
