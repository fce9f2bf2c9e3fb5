package io.phisync.stream;

import tools.jackson.databind.JsonNode;

/**
 * An event to append.
 *
 * @param type what happened, such as {@code "item-added"}; never blank
 * @param data its details
 */
public record NewEvent(String type, JsonNode data) {
  public NewEvent {
    if (type.isBlank()) {
      throw new IllegalArgumentException("an event type must not be blank");
    }
  }
}
