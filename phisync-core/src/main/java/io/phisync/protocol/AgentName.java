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

  @Override
  public String toString() {
    return value;
  }
}
