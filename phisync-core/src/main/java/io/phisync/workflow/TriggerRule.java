package io.phisync.workflow;

import java.util.Collection;
import java.util.Locale;

/**
 * Airflow's trigger rules: when a step runs, given the states of its upstream steps. "Failed"
 * counts FAILED, TIMED_OUT and UPSTREAM_FAILED; "succeeded" counts COMPLETED; "done" is any of
 * those or SKIPPED (or CANCELED/COMPENSATED, which count as failed). A step with no upstream steps
 * runs at once whatever its rule.
 */
public enum TriggerRule {
  /** Every upstream succeeded (the default). A failure makes it UPSTREAM_FAILED, a skip SKIPPED. */
  ALL_SUCCESS,
  /** Every upstream failed; any success makes it SKIPPED. */
  ALL_FAILED,
  /** Every upstream is done, however. */
  ALL_DONE,
  /** Every upstream was skipped; anything else makes it SKIPPED. */
  ALL_SKIPPED,
  /**
   * As soon as one upstream succeeded; if all are done and none did, SKIPPED (UPSTREAM_FAILED if
   * all failed).
   */
  ONE_SUCCESS,
  /** As soon as one upstream failed; if all are done and none did, SKIPPED. */
  ONE_FAILED,
  /** As soon as one upstream succeeded or failed; if all were skipped, SKIPPED. */
  ONE_DONE,
  /** Every upstream is done and none failed (skips are fine); else UPSTREAM_FAILED. */
  NONE_FAILED,
  /**
   * None failed and at least one succeeded; a failure makes it UPSTREAM_FAILED, all skipped
   * SKIPPED.
   */
  NONE_FAILED_MIN_ONE_SUCCESS,
  /** Every upstream is done and none was skipped; a skip makes it SKIPPED. */
  NONE_SKIPPED,
  /** Runs at once, whatever its upstream steps do. */
  ALWAYS;

  /** What the rule says now. */
  public enum Decision {
    /** Not yet: upstream steps are still running. */
    WAIT,
    RUN,
    SKIP,
    UPSTREAM_FAILED
  }

  /** The rule's name as definitions spell it, e.g. {@code all_success}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code all_success}, {@code all-success} or {@code ALL_SUCCESS}.
   *
   * @throws IllegalArgumentException listing the rules when there is no such rule
   */
  public static TriggerRule parse(String text) {
    String normal = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (TriggerRule rule : values()) {
      if (rule.name().equals(normal)) {
        return rule;
      }
    }
    StringBuilder known = new StringBuilder();
    for (TriggerRule rule : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(rule.label());
    }
    throw new IllegalArgumentException(
        "unknown trigger rule '" + text + "'; the rules are " + known);
  }

  /** What this rule decides for a step whose upstream steps are in {@code upstream}. */
  public Decision decide(Collection<StepStatus> upstream) {
    if (this == ALWAYS || upstream.isEmpty()) {
      return Decision.RUN;
    }
    int total = upstream.size();
    int success = 0;
    int failed = 0;
    int skipped = 0;
    int done = 0;
    for (StepStatus status : upstream) {
      if (!status.isDone()) {
        continue;
      }
      done++;
      if (status == StepStatus.COMPLETED) {
        success++;
      } else if (status == StepStatus.SKIPPED) {
        skipped++;
      } else {
        failed++;
      }
    }
    boolean allDone = done == total;
    switch (this) {
      case ALL_SUCCESS:
        if (failed > 0) {
          return Decision.UPSTREAM_FAILED;
        }
        if (skipped > 0) {
          return Decision.SKIP;
        }
        return allDone ? Decision.RUN : Decision.WAIT;
      case ALL_FAILED:
        if (success > 0 || skipped > 0) {
          return Decision.SKIP;
        }
        return allDone ? Decision.RUN : Decision.WAIT;
      case ALL_DONE:
        return allDone ? Decision.RUN : Decision.WAIT;
      case ALL_SKIPPED:
        if (success > 0 || failed > 0) {
          return Decision.SKIP;
        }
        return allDone ? Decision.RUN : Decision.WAIT;
      case ONE_SUCCESS:
        if (success > 0) {
          return Decision.RUN;
        }
        if (!allDone) {
          return Decision.WAIT;
        }
        return failed == total ? Decision.UPSTREAM_FAILED : Decision.SKIP;
      case ONE_FAILED:
        if (failed > 0) {
          return Decision.RUN;
        }
        return allDone ? Decision.SKIP : Decision.WAIT;
      case ONE_DONE:
        if (success > 0 || failed > 0) {
          return Decision.RUN;
        }
        return allDone ? Decision.SKIP : Decision.WAIT;
      case NONE_FAILED:
        if (failed > 0) {
          return Decision.UPSTREAM_FAILED;
        }
        return allDone ? Decision.RUN : Decision.WAIT;
      case NONE_FAILED_MIN_ONE_SUCCESS:
        if (failed > 0) {
          return Decision.UPSTREAM_FAILED;
        }
        if (!allDone) {
          return Decision.WAIT;
        }
        return success > 0 ? Decision.RUN : Decision.SKIP;
      case NONE_SKIPPED:
        if (skipped > 0) {
          return Decision.SKIP;
        }
        return allDone ? Decision.RUN : Decision.WAIT;
      default:
        throw new AssertionError(this);
    }
  }
}
