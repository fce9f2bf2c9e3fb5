package io.phisync.spi;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.TopicName;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * Where a durable subscription stands: for each topic, the sequence of the next event to deliver.
 *
 * @param subscriber the subscribing agent
 * @param name the subscription's name (the agent-name rule), unique per subscriber
 * @param next per topic, the next sequence to deliver; a topic not listed starts at its first
 *     retained event
 * @param filter the filter last used, for operators only (it does not limit a later subscribe)
 * @param updated when the cursor was last saved
 */
public record SubscriptionCursor(
    AgentName subscriber,
    AgentName name,
    Map<TopicName, Long> next,
    JsonNode filter,
    OffsetDateTime updated) {

  public SubscriptionCursor {
    next = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(next));
  }

  /** A cursor that has delivered nothing yet. */
  public static SubscriptionCursor start(AgentName subscriber, AgentName name, OffsetDateTime now) {
    return new SubscriptionCursor(subscriber, name, Map.of(), NullNode.getInstance(), now);
  }

  /** The next sequence to deliver in {@code topic}, or 0 when the topic was never read. */
  public long next(TopicName topic) {
    return next.getOrDefault(topic, 0L);
  }

  /** This cursor with {@code topic} advanced to {@code sequence}. */
  public SubscriptionCursor with(TopicName topic, long sequence, OffsetDateTime now) {
    Map<TopicName, Long> copy = new TreeMap<>(next);
    copy.put(topic, sequence);
    return new SubscriptionCursor(subscriber, name, copy, filter, now);
  }

  /** This cursor with the filter recorded. */
  public SubscriptionCursor withFilter(JsonNode value) {
    return new SubscriptionCursor(subscriber, name, next, value, updated);
  }
}
