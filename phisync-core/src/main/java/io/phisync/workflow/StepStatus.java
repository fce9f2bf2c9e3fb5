package io.phisync.workflow;

/** The states of a step in a run (DESIGN.md section 5), plus PENDING before it is scheduled. */
public enum StepStatus {
  PENDING,
  SCHEDULED,
  RUNNING,
  UP_FOR_RETRY,
  WAITING_APPROVAL,
  COMPLETED,
  FAILED,
  TIMED_OUT,
  SKIPPED,
  UPSTREAM_FAILED,
  COMPENSATING,
  COMPENSATED,
  CANCELED;

  /** Whether nothing more happens to the step in this run (until a retry of the run). */
  public boolean isDone() {
    switch (this) {
      case COMPLETED:
      case FAILED:
      case TIMED_OUT:
      case SKIPPED:
      case UPSTREAM_FAILED:
      case COMPENSATED:
      case CANCELED:
        return true;
      default:
        return false;
    }
  }

  /** Whether the step ended in failure (failed, timed out or upstream-failed). */
  public boolean isFailure() {
    return this == FAILED || this == TIMED_OUT || this == UPSTREAM_FAILED;
  }

  /** The name as files and the CLI spell it: lower case with dashes, e.g. {@code up-for-retry}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
