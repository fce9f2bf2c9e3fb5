package io.phisync.protocol;

/**
 * The name of an agent: {@code [a-z][a-z0-9_-]{0,31}}, not a name reserved on Windows. Safe as a
 * directory name on every file system PhiSync supports, including case-insensitive ones.
 *
 * @param value the validated name
 */
public record AgentName(String value) implements Comparable<AgentName> {

  /**
   * @throws InvalidNameException naming the rule when {@code value} breaks it
   */
  public AgentName {
    Names.checkAgent(value);
  }

  /** Parses and validates a name. */
  public static AgentName of(String value) {
    return new AgentName(value);
  }

  @Override
  public int compareTo(AgentName other) {
    return value.compareTo(other.value);
  }

  // Written out: a record's generated equals and hashCode bootstrap through invokedynamic on first
  // use, which costs a command-line send a few milliseconds of start-up (an agent map lookup).
  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object other) {
    return other instanceof AgentName name && value.equals(name.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
