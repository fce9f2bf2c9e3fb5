package io.phisync.protocol;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name of a state key, a lock or a stream: one to eight {@code /}-separated segments, each 1 to
 * 64 characters of {@code a-z}, {@code 0-9}, {@code _} or {@code -}, starting with a letter or
 * digit, and not a name reserved on Windows. No dots, so a key never collides with the files
 * PhiSync keeps beside it ({@code <key>.json}, {@code <key>.revs}); lowercase, so it is safe on
 * case-insensitive file systems.
 *
 * @param value the validated name
 */
public record StateKey(String value) implements Comparable<StateKey> {
  /** The rule, in words, as a rejected name reports it. */
  public static final String RULE =
      "a key is 1 to 8 '/'-separated segments, each 1 to 64 characters of a-z, 0-9, '_' or '-'"
          + " starting with a letter or digit, at most 200 characters in all";

  private static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Set<String> RESERVED =
      Set.of(
          "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
          "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

  /**
   * @throws InvalidNameException naming the rule when {@code value} breaks it
   */
  public StateKey {
    String[] segments = value.split("/", -1);
    if (value.length() > 200 || segments.length > 8) {
      throw new InvalidNameException("key", value, RULE);
    }
    for (String segment : segments) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw new InvalidNameException("key", value, RULE);
      }
      if (RESERVED.contains(segment.toLowerCase(Locale.ROOT))) {
        throw new InvalidNameException("key", value, Names.RESERVED_RULE);
      }
    }
  }

  /** Parses and validates a key. */
  public static StateKey of(String value) {
    return new StateKey(value);
  }

  /** The first segment. */
  public String firstSegment() {
    int slash = value.indexOf('/');
    return slash < 0 ? value : value.substring(0, slash);
  }

  @Override
  public int compareTo(StateKey other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
