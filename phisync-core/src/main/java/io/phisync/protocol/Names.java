package io.phisync.protocol;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The naming rules of file protocol v1. Every name is checked here before it becomes a path. */
final class Names {
  static final String AGENT_RULE =
      "an agent name is 1 to 32 characters: a lowercase letter first, then lowercase letters,"
          + " digits, '_' or '-'";
  static final String ID_RULE = "a message id is 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";
  static final String RESERVED_RULE =
      "the name is reserved on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9)";

  private static final Pattern AGENT = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  // Device names: Windows opens the device, not a file, whatever the extension ("nul.json"). COM0
  // and LPT0 are reserved on recent Windows versions too.
  private static final Set<String> RESERVED =
      Set.of(
          "con", "prn", "aux", "nul", "com0", "lpt0", "com1", "com2", "com3", "com4", "com5",
          "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
          "lpt8", "lpt9");

  private Names() {}

  static String checkAgent(String value) {
    if (!AGENT.matcher(value).matches()) {
      throw new InvalidNameException("agent name", value, AGENT_RULE);
    }
    return checkNotReserved("agent name", value);
  }

  static String checkId(String value) {
    if (!ID.matcher(value).matches()) {
      throw new InvalidNameException("message id", value, ID_RULE);
    }
    return checkNotReserved("message id", value);
  }

  private static String checkNotReserved(String kind, String value) {
    if (RESERVED.contains(value.toLowerCase(Locale.ROOT))) {
      throw new InvalidNameException(kind, value, RESERVED_RULE);
    }
    return value;
  }
}
