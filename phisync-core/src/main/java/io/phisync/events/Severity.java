package io.phisync.events;

import java.util.Locale;
import java.util.Optional;

/**
 * How severe an event is, on one ordered scale: {@code debug < info < low < medium < warning < high
 * < critical}. On the wire it is the lowercase name; {@code warn}, {@code error} and {@code fatal}
 * are read as {@code warning}, {@code high} and {@code critical}.
 */
public enum Severity {
  DEBUG,
  INFO,
  LOW,
  MEDIUM,
  WARNING,
  HIGH,
  CRITICAL;

  /** The name written in event files. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a wire name or alias, in any case; empty when it is none. */
  public static Optional<Severity> find(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "warn":
        return Optional.of(WARNING);
      case "error":
        return Optional.of(HIGH);
      case "fatal":
        return Optional.of(CRITICAL);
      default:
        for (Severity s : values()) {
          if (s.wireName().equals(value)) {
            return Optional.of(s);
          }
        }
        return Optional.empty();
    }
  }

  /**
   * Reads a severity strictly.
   *
   * @throws IllegalArgumentException naming the scale when {@code text} is not on it
   */
  public static Severity parse(String text) {
    return find(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown severity '"
                        + text
                        + "': expected one of debug, info, low, medium, warning, high, critical"));
  }
}
