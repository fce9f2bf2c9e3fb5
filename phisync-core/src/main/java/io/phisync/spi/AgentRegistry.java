package io.phisync.spi;

import io.phisync.protocol.AgentName;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where running agents record themselves: one record per running instance, and the agent's status
 * file ({@code <agent>/state.json}) that simple readers and the codex's scripts read.
 *
 * <p>Every write replaces the whole record atomically: a reader sees an old or a new record, never
 * part of one. Implementations are thread-safe and safe across processes.
 */
public interface AgentRegistry {

  /**
   * Writes (or replaces) the record of one instance of {@code agent}.
   *
   * @param instanceId the instance, a valid message id ({@code [A-Za-z0-9_-]{1,64}})
   * @throws UnknownAgentException when {@code agent} does not exist
   */
  void writeInstance(AgentName agent, String instanceId, ObjectNode record);

  /** Removes one instance's record; nothing happens when it is not there. */
  void removeInstance(AgentName agent, String instanceId);

  /** The records of every instance of {@code agent}; unreadable records are skipped. */
  List<ObjectNode> instances(AgentName agent);

  /**
   * Replaces the agent's status file with {@code state}.
   *
   * @throws UnknownAgentException when {@code agent} does not exist
   */
  void writeState(AgentName agent, ObjectNode state);
}
