package io.phisync.events;

import io.phisync.protocol.TopicName;

/**
 * Handles a subscription's events, one at a time, in each topic's order. A handler that throws is
 * retried; after the last attempt the event is dead-lettered and the subscription goes on.
 */
@FunctionalInterface
public interface EventHandler {

  /** Handles one event. Runs at least once per event; deduplicate by {@link Event#id()}. */
  void handle(Event event) throws Exception;

  /**
   * Told that events {@code first..last} of {@code topic} were removed by retention before this
   * subscription read them. By default nothing more than the warning that is logged anyway.
   */
  default void onGap(TopicName topic, long first, long last) {}
}
