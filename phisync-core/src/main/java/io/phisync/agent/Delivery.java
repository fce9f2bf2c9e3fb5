package io.phisync.agent;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import tools.jackson.databind.JsonNode;

/**
 * One message handed to a handler.
 *
 * @param agent the agent whose inbox it came from
 * @param message the envelope, as it was received
 * @param attempt 1 on first delivery, counting up with each failed one
 */
public record Delivery(AgentName agent, Envelope message, int attempt) {

  /** {@code payload.command}, or the empty string when there is none. */
  public String command() {
    return message.command().orElse("");
  }

  /** The payload; an empty object when the message has none. */
  public JsonNode payload() {
    JsonNode payload = message.payload();
    return payload == null ? Json.object() : payload;
  }
}
