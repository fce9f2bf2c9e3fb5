package io.phisync.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The {@code type} of an envelope. */
public enum MessageType {
  REQUEST,
  RESPONSE,
  EVENT,
  NOTIFICATION;

  /** The wire form, lowercase. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads the wire form in any case. */
  @JsonCreator
  public static MessageType fromWire(String value) {
    for (MessageType type : values()) {
      if (type.name().equalsIgnoreCase(value.trim())) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown message type '" + value + "'; expected request, response, event or notification");
  }
}
