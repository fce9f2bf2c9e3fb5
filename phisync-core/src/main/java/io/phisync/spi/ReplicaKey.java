package io.phisync.spi;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The key of a replicated CRDT: {@code [a-z0-9][a-z0-9._-]{0,63}}, not ending in a dot, whose part
 * before the first dot is not a name reserved on Windows. Safe as a directory name everywhere.
 *
 * @param value the validated key
 */
public record ReplicaKey(String value) implements Comparable<ReplicaKey> {
  /** The rule, in words, as error messages name it. */
  public static final String RULE =
      "a CRDT key is 1 to 64 characters: a lowercase letter or digit first, then lowercase letters,"
          + " digits, '.', '_' or '-', not ending in '.', and not a name reserved on Windows";

  private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Set<String> RESERVED =
      Set.of(
          "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
          "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

  /**
   * @throws IllegalArgumentException naming the rule when {@code value} breaks it
   */
  public ReplicaKey {
    if (!KEY.matcher(value).matches()
        || value.endsWith(".")
        || RESERVED.contains(value.split("\\.", -1)[0].toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("invalid CRDT key '" + printable(value) + "': " + RULE);
    }
  }

  /** Parses and validates a key. */
  public static ReplicaKey of(String value) {
    return new ReplicaKey(value);
  }

  private static String printable(String value) {
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  @Override
  public int compareTo(ReplicaKey other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
