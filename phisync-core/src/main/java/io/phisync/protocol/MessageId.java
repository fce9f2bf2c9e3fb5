package io.phisync.protocol;

/**
 * The id of a message: 1 to 64 characters of {@code [A-Za-z0-9_-]}, not a name reserved on Windows.
 * PowerShell GUIDs fit; PhiSync generates time-ordered ids ({@link #next()}).
 *
 * @param value the validated id
 */
public record MessageId(String value) implements Comparable<MessageId> {

  /**
   * @throws InvalidNameException naming the rule when {@code value} breaks it
   */
  public MessageId {
    Names.checkId(value);
  }

  /** Parses and validates an id. */
  public static MessageId of(String value) {
    return new MessageId(value);
  }

  /** A new time-ordered id, unique within this process and, with overwhelming odds, across. */
  public static MessageId next() {
    return new MessageId(Ulid.next());
  }

  @Override
  public int compareTo(MessageId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
