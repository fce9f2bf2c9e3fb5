package io.phisync.events;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.TopicName;
import io.phisync.spi.EventLog;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Publish/subscribe over an {@link EventLog}: every event is kept in its topic's total order, and
 * every subscriber reads it, at its own pace, through a durable cursor. Reach it through {@code
 * PhiSync.events()}.
 *
 * <p>Delivery is at-least-once per subscription: the cursor is saved after the handler returns, so
 * a subscriber that crashes between the two gets that one event again after a restart. A handler
 * whose effect must happen once deduplicates by {@link Event#id()}. In every other case each event
 * is handled once, in its topic's order. This interface is thread-safe.
 */
public interface Events {

  /** Events over {@code log}, with this clock and retention. */
  static Events over(EventLog log, Clock clock, RetentionPolicy retention) {
    return new DefaultEvents(log, clock, retention);
  }

  /**
   * Publishes an event and returns it as stored, with its sequence in the topic.
   *
   * @param data the event's content, any JSON value, or null
   */
  Event publish(
      TopicName topic,
      AgentName publisher,
      String eventType,
      Severity severity,
      @Nullable JsonNode data);

  /**
   * Starts a durable subscription: a thread that delivers every matching event, each topic in
   * order, to {@code handler}, from where this subscriber's subscription {@code name} stopped last
   * (a new one starts at each topic's first retained event), and then waits for more.
   *
   * @throws io.phisync.spi.UnknownAgentException when {@code subscriber} is not an agent of the
   *     root
   */
  Subscription subscribe(
      AgentName subscriber, AgentName name, EventFilter filter, EventHandler handler);

  /**
   * Delivers, in the calling thread, every matching event the subscription has not had yet, as
   * {@link #subscribe} would, and returns how many it handed to {@code handler}.
   */
  int catchUp(AgentName subscriber, AgentName name, EventFilter filter, EventHandler handler);

  /**
   * The retained events that match {@code filter} and were published at or after {@code since} (any
   * time when null): the newest {@code limit}, oldest first. Reads only: no cursor moves.
   */
  List<Event> list(EventFilter filter, @Nullable OffsetDateTime since, int limit);

  /** Applies the retention policy now; returns how many events it removed. */
  int sweep();

  /** The retention policy in force. */
  RetentionPolicy retention();
}
