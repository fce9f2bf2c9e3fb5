package io.phisync.spi;

import io.phisync.protocol.TopicName;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event as stored: its place in its topic's order and its JSON object.
 *
 * @param topic the topic
 * @param sequence the position in the topic, from 1, dense: no two events share one
 * @param json the event object (id, timestamp, eventType, publisher, severity, data, topic, and any
 *     other fields as written); callers must not modify it
 */
public record StoredEvent(TopicName topic, long sequence, ObjectNode json) {}
