package io.phisync.protocol;

import java.util.Locale;
import java.util.Set;

/** The naming rules of file protocol v1. Every name is checked here before it becomes a path. */
final class Names {
  static final String AGENT_RULE =
      "an agent name is 1 to 32 characters: a lowercase letter first, then lowercase letters,"
          + " digits, '_' or '-'";
  static final String ID_RULE = "a message id is 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";
  static final String RESERVED_RULE =
      "the name is reserved on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9)";

  static final String TOPIC_RULE =
      "a topic is 1 to 64 characters: a lowercase letter first, then lowercase letters, digits,"
          + " '_' or '-'";

  // The rules as regular expressions, for the record: topics [a-z][a-z0-9_-]{0,63}, agents
  // [a-z][a-z0-9_-]{0,31}, ids [A-Za-z0-9_-]{1,64}. Checked by hand below: every message read
  // checks its id and names, and a regex matcher was a twentieth of a consumer's time.
  // NamesPropertiesTest holds the two to the same answers.
  // Device names: Windows opens the device, not a file, whatever the extension ("nul.json"). COM0
  // and LPT0 are reserved on recent Windows versions too.
  private static final Set<String> RESERVED =
      Set.of(
          "con", "prn", "aux", "nul", "com0", "lpt0", "com1", "com2", "com3", "com4", "com5",
          "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
          "lpt8", "lpt9");

  private Names() {}

  static String checkAgent(String value) {
    if (!isLowerName(value, 32)) {
      throw new InvalidNameException("agent name", value, AGENT_RULE);
    }
    return checkNotReserved("agent name", value);
  }

  static String checkTopic(String value) {
    if (!isLowerName(value, 64)) {
      throw new InvalidNameException("topic", value, TOPIC_RULE);
    }
    return checkNotReserved("topic", value);
  }

  static String checkId(String value) {
    if (!isId(value)) {
      throw new InvalidNameException("message id", value, ID_RULE);
    }
    return checkNotReserved("message id", value);
  }

  /** {@code [a-z][a-z0-9_-]{0,max-1}}. */
  static boolean isLowerName(String value, int max) {
    int length = value.length();
    if (length == 0 || length > max) {
      return false;
    }
    char first = value.charAt(0);
    if (first < 'a' || first > 'z') {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@code [A-Za-z0-9_-]{1,64}}. */
  static boolean isId(String value) {
    int length = value.length();
    if (length == 0 || length > 64) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static String checkNotReserved(String kind, String value) {
    // Every reserved name has 3 or 4 characters: most names need no lowercase copy.
    int length = value.length();
    if ((length == 3 || length == 4) && RESERVED.contains(value.toLowerCase(Locale.ROOT))) {
      throw new InvalidNameException(kind, value, RESERVED_RULE);
    }
    return value;
  }
}
