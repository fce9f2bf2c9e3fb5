package io.phisync.workflow;

import io.phisync.protocol.MessageId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** The ids of runs and of the requests a run sends (docs/PROTOCOL.md section 13). */
final class RunIds {
  private static final Pattern RUN_ID = Pattern.compile("run-[a-z0-9]{26}");
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private RunIds() {}

  /** A new run id: {@code run-<ulid, lower case>}. */
  static String newRunId() {
    return "run-" + MessageId.next().value().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws WorkflowException when {@code runId} is not a run id
   */
  static String check(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new WorkflowException(
          "'"
              + runId
              + "' is not a run id: run ids are 'run-' and 26 lower-case letters or digits");
    }
    return runId;
  }

  /** The derived id of a sub-workflow's run, so that a resumed parent finds its child. */
  static String childRunId(String parentRunId, String step, int attempt) {
    return "run-" + sha256Hex(parentRunId + "/" + step + "/" + attempt).substring(0, 26);
  }

  /** The request id of a step attempt ({@code comp} for a compensation). */
  static String requestId(String runId, String step, int attempt, boolean compensation) {
    String suffix = (compensation ? "comp" : "") + attempt;
    String name = step.replace("[", "_c").replace("]", "");
    String id = runId + "-" + name + "-" + suffix;
    if (id.length() <= 64 && REQUEST_ID.matcher(id).matches()) {
      return id;
    }
    return runId + "-" + sha256Hex(step).substring(0, 24) + "-" + suffix;
  }

  static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
