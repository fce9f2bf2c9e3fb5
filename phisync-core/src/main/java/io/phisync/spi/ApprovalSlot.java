package io.phisync.spi;

import io.phisync.protocol.StateKey;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where one approval gate's files live: {@code shared/approvals/<runId>/<step>.*}. Both parts are
 * validated here, before they become a path.
 *
 * @param runId the workflow run: a one-segment {@link StateKey} (such as {@code run-01j...})
 * @param step the approval step's id: {@value #STEP_PATTERN}, not a name reserved on Windows
 */
public record ApprovalSlot(String runId, String step) implements Comparable<ApprovalSlot> {
  /** The rule for step ids, as a regular expression. */
  public static final String STEP_PATTERN = "[A-Za-z][A-Za-z0-9_]{0,47}";

  /** The rule for run ids, in words. */
  public static final String RUN_RULE =
      "a run id is one key segment: 1 to 64 characters of a-z, 0-9, '_' or '-' starting with a"
          + " letter or digit";

  /** The rule for step ids, in words. */
  public static final String STEP_RULE =
      "a step id is 1 to 48 characters: a letter first, then letters, digits or '_'";

  private static final Pattern STEP = Pattern.compile(STEP_PATTERN);
  private static final Set<String> RESERVED =
      Set.of(
          "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
          "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

  /**
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public ApprovalSlot {
    if (runId.contains("/")) {
      throw new IllegalArgumentException("invalid run id '" + runId + "': " + RUN_RULE);
    }
    try {
      StateKey.of(runId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid run id: " + e.getMessage(), e);
    }
    if (!STEP.matcher(step).matches()) {
      throw new IllegalArgumentException("invalid step id '" + printable(step) + "': " + STEP_RULE);
    }
    if (RESERVED.contains(step.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "invalid step id '" + step + "': the name is reserved on Windows");
    }
  }

  private static String printable(String value) {
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  @Override
  public int compareTo(ApprovalSlot other) {
    int byRun = runId.compareTo(other.runId);
    return byRun != 0 ? byRun : step.compareTo(other.step);
  }

  @Override
  public String toString() {
    return runId + "/" + step;
  }
}
