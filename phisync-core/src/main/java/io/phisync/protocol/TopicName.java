package io.phisync.protocol;

/**
 * The name of an event topic: {@code [a-z][a-z0-9_-]{0,63}}, not a name reserved on Windows. A
 * topic is a directory {@code shared/events/<topic>/}.
 *
 * @param value the validated name
 */
public record TopicName(String value) implements Comparable<TopicName> {
  /** The topic of an event that names none: {@code default}. */
  public static final TopicName DEFAULT = new TopicName("default");

  /**
   * @throws InvalidNameException naming the rule when {@code value} breaks it
   */
  public TopicName {
    Names.checkTopic(value);
  }

  /** Parses and validates a topic name. */
  public static TopicName of(String value) {
    return new TopicName(value);
  }

  @Override
  public int compareTo(TopicName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
