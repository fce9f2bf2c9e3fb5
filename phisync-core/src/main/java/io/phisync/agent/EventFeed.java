package io.phisync.agent;

import io.phisync.protocol.AgentName;

/**
 * An extension point: something that delivers events to a running agent, such as a durable
 * subscription of {@code io.phisync.events}. The agent opens it when it starts and closes it when
 * it begins to drain.
 */
@FunctionalInterface
public interface EventFeed {

  /**
   * Starts delivering events for {@code agent}; delivery stops when the result is closed.
   *
   * @throws Exception when the feed cannot start; the agent then does not start either
   */
  AutoCloseable open(AgentName agent) throws Exception;
}
